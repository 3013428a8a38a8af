package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.queue.DeadLetters;
import dev.taskqueue.queue.DeadLetters.Replay;
import dev.taskqueue.queue.QueueName;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code producer dlq replay ID... | --all [--queue Q] [--newest-module]}: runs dead tasks again
 * from their first attempt, on the module version they were submitted with or, with {@code
 * --newest-module}, on the newest (a fixed module uploaded since). Each task is replayed on its
 * own: one that cannot be is named on stderr with the reason, the others are still replayed, and
 * the command exits 1 at the end.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Puts dead tasks back in their queue with their attempts reset; prints 'replayed ID' for"
          + " each. They run the module version they were submitted with, unless"
          + " --newest-module.",
      "Exits 1 if any could not be replayed (each is named on stderr, with what to do)."
    })
final class DlqReplay implements Callable<Integer> {
  @ParentCommand private DlqCommand dlq;

  @Spec private CommandSpec spec;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "ID", arity = "0..*", description = "Ids of dead tasks.")
  private List<String> ids = new ArrayList<>();

  @Option(names = "--all", description = "Every dead task (of --queue, or of every queue).")
  private boolean all;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "With --all: only this queue's dead tasks.")
  private String queue;

  @Option(
      names = "--newest-module",
      description =
          "Run each on the newest version of its module, a fix uploaded since it died ('replayed"
              + " ID on v2 (was v1)'), instead of the version it was submitted with.")
  private boolean newestModule;

  private int tried;
  private int failed;

  @Override
  public Integer call() {
    Config config = common.config();
    List<TaskId> given = checkArguments();
    try (TaskClient client = dlq.connect(config)) {
      if (all) {
        replayAll(client);
      } else {
        given.forEach(id -> report(client, id, client.deadLetters().replay(id, version())));
      }
    }
    if (failed > 0) {
      throw new TaskQueueException(
          ExitCode.FAILURE,
          failed + " of " + tried + " tasks were not replayed: see the lines above");
    }
    return ExitCode.OK.code();
  }

  private void replayAll(TaskClient client) {
    DeadTasks dead = client.deadLetters();
    for (String q : queue == null ? client.queues() : List.of(queue)) {
      // Oldest first, so the tasks go back to their queue in the order they came.
      List<TaskId> oldestFirst = new ArrayList<>(dead.ids(q));
      Collections.reverse(oldestFirst);
      oldestFirst.forEach(id -> report(client, id, dead.replay(q, id, version())));
    }
    if (tried == 0) {
      printErr("no dead tasks" + KnownQueues.where(client, queue) + "; nothing to replay");
    }
  }

  private DeadLetters.Version version() {
    return newestModule ? DeadLetters.Version.NEWEST : DeadLetters.Version.KEPT;
  }

  /** Ids or --all, not both; --queue only with --all; every id well-formed, before connecting. */
  private List<TaskId> checkArguments() {
    if (all == !ids.isEmpty()) {
      throw new InvalidInputException(
          all
              ? "give task ids or --all, not both"
              : "give the ids of the dead tasks to replay, or --all for every one");
    }
    if (queue != null && !all) {
      throw new InvalidInputException(
          "--queue goes with --all: a task id names its task whatever the queue");
    }
    if (queue != null) {
      QueueName.check(queue);
    }
    return ids.stream().map(TaskId::parse).toList();
  }

  /** Prints what became of one task: on stdout when replayed, else why not on stderr. */
  private void report(TaskClient client, TaskId id, DeadLetters.Replayed replayed) {
    tried++;
    if (replayed.upgraded()) {
      Stdout.print(
          "replayed "
              + id
              + " on v"
              + replayed.version()
              + " (was v"
              + replayed.versionBefore()
              + ")\n");
    } else if (replayed.outcome() == Replay.REPLAYED) {
      Stdout.print("replayed " + id + "\n");
    } else {
      failed++;
      printErr(why(client, id, replayed));
    }
  }

  private void printErr(String line) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + line);
    err.flush();
  }

  private String why(TaskClient client, TaskId id, DeadLetters.Replayed replayed) {
    Replay replay = replayed.outcome();
    Optional<Task> task = client.find(id);
    if (replay == Replay.NO_SUCH_TASK || task.isEmpty()) {
      return client.notFound(id).getMessage();
    }
    Task t = task.get();
    return switch (replay) {
      case NOT_DEAD ->
          "task "
              + id
              + " is not dead, it is "
              + t.stage().wireName()
              + ": only dead tasks can be replayed (see 'producer status "
              + id
              + "')";
      case MODULE_REMOVED ->
          "task "
              + id
              + " cannot be replayed: version "
              + replayed.version()
              + " of module '"
              + t.name()
              + (newestModule
                  ? "', the newest its queue knows, was removed from the registry; upload the"
                      + " module again, then replay it with --newest-module"
                  : "' was removed from the registry; replay it with --newest-module to run it on"
                      + " a newer version (upload the module again first if there is none)")
              + " (see 'producer dlq show "
              + id
              + "')";
      default -> throw new IllegalStateException("bug: no reason to give for " + replay);
    };
  }
}
