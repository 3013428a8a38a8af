package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.UnmatchedHint;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import dev.taskqueue.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code producer submit}: enqueues one task, to run now or at a later time, and prints its id, and
 * nothing else, on stdout. With {@code --batch FILE.jsonl}, the tasks of a file, one per line
 * ({@link BatchFile}): all checked before any is written, their ids printed in order.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Submits a task and prints its id, and only that, on stdout.",
      "The payload is JSON text: inline, @FILE, or on standard input.",
      "Example: id=$(producer submit --task greeter --payload '{\"name\":\"Ada\"}')",
      "With --batch FILE.jsonl (- for stdin): one task per line, a JSON object with the fields"
          + " task, payload, queue, max-retries, timeout, retry-backoff, at and in, read as the"
          + " flags of those names; every line is checked before any task is written, then one id"
          + " is printed per line, in order.",
      "Example: producer submit --batch - <<< '{\"task\":\"greeter\",\"payload\":{}}'"
    })
final class SubmitCommand implements Callable<Integer>, UnmatchedHint {
  @ParentCommand private ProducerCommand producer;

  @Spec private CommandSpec spec;

  @Mixin private CommonOptions common;

  @Mixin private SubmissionOptions task;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      converter = RunAtConverter.class,
      description =
          "Run it at this time rather than now: RFC 3339 with an offset, such as"
              + " 2026-12-01T09:00:00+01:00 or 2026-12-01T08:00:00Z (at most 10 years ahead; a"
              + " time that has passed runs it now).")
  private Instant at;

  @Option(
      names = "--in",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Run it this long from now rather than now, e.g. 10m, 2h or 7d.")
  private Duration in;

  @Option(
      names = "--batch",
      paramLabel = "FILE.jsonl",
      description =
          "Submit the tasks of this file (- for stdin), one JSON object per line, instead of one"
              + " given by flags.")
  private String batch;

  @Option(
      names = "--json",
      description = "With --batch: print one JSON object per task, {\"line\":N,\"id\":ID}.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    if (batch != null) {
      return submitBatch(config);
    }
    if (json) {
      throw new InvalidInputException("--json goes with --batch: a single submit prints its id");
    }
    Submission.Builder builder = task.builder(config, spec);
    RunAt.apply(at, in, builder, "--");
    Submission submission = builder.build();
    // submit() checks again; checking first reports bad input without needing Redis.
    SubmissionRules.check(submission, config, producer.clock());
    if (at != null) {
      RunAt.pastNote("--at " + at, at, producer.clock().instant())
          .ifPresent(
              note -> System.err.println("producer submit: note: " + note + ": it runs now"));
    }
    try (TaskClient client = producer.connect(config)) {
      Stdout.print(client.submit(submission) + "\n");
    }
    return ExitCode.OK.code();
  }

  /**
   * A task and its payload given as bare words, as some queues' CLIs take them ({@code submit
   * greeter '{}'}), are shown as the options they go in; one word goes in the option it looks like.
   */
  @Override
  public Optional<String> hintFor(List<String> unmatched) {
    if (unmatched.isEmpty()
        || unmatched.size() > 2
        || unmatched.stream().anyMatch(argument -> argument.startsWith("-"))) {
      return Optional.empty();
    }
    String first = UnmatchedHint.shellQuoted(unmatched.get(0));
    if (unmatched.size() == 2) {
      return Optional.of(
          "did you mean --task "
              + first
              + " --payload "
              + UnmatchedHint.shellQuoted(unmatched.get(1))
              + "?");
    }
    return Optional.of(
        "did you mean "
            + (looksLikeJson(unmatched.get(0)) ? "--payload " : "--task ")
            + first
            + "?");
  }

  /**
   * A refusal of one line of a batch, saying that the lines before it were not submitted either: a
   * batch is checked whole before any task of it is written.
   */
  private static String noneSubmitted(String message) {
    return message.startsWith("line ") ? message + "; no task of the batch was submitted" : message;
  }

  /** An object, array or string: no task name starts so (task names are {@code Names}). */
  private static boolean looksLikeJson(String word) {
    return !word.isEmpty() && "{[\"".indexOf(word.charAt(0)) >= 0;
  }

  /**
   * One note for the lines whose run-at time passed long ago, naming the first: its text made once,
   * not once a line (a batch of 50,000 such lines made 50,000).
   */
  private void notePast(List<BatchFile.Entry> entries) {
    Instant now = producer.clock().instant();
    String first = null;
    int past = 0;
    for (BatchFile.Entry entry : entries) {
      Optional<Instant> at = entry.submission().runAt();
      if (at.isPresent() && RunAt.longPast(at.get(), now)) {
        if (past++ == 0) {
          first = RunAt.passed("line " + entry.line() + "'s at " + at.get(), at.get(), now);
        }
      }
    }
    if (past > 0) {
      System.err.println(
          "producer submit: note: "
              + first
              + (past == 1
                  ? ": its task runs now"
                  : " (one of " + past + " such lines): their tasks run now"));
    }
  }

  private int submitBatch(Config config) {
    if (task.given() || at != null || in != null) {
      throw new InvalidInputException(
          "--batch takes every value of a task from its line: leave out --task, --payload,"
              + " --queue, --max-retries, --timeout, --retry-backoff, --at and --in");
    }
    List<BatchFile.Entry> entries;
    try {
      entries = BatchFile.read(batch, System.in);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(noneSubmitted(e.getMessage()), e);
    }
    List<Submission> submissions = entries.stream().map(BatchFile.Entry::submission).toList();
    IntFunction<String> line = i -> "line " + entries.get(i).line();
    for (int i = 0; i < submissions.size(); i++) {
      try {
        SubmissionRules.check(submissions.get(i), config, producer.clock());
      } catch (InvalidInputException e) {
        throw new InvalidInputException(noneSubmitted(line.apply(i) + ": " + e.getMessage()), e);
      }
    }
    notePast(entries);
    List<TaskId> ids;
    try (TaskClient client = producer.connect(config)) {
      ids = client.submitAll(submissions, line);
    } catch (NotFoundException e) {
      // Every task's module is looked up before any task is written.
      throw new NotFoundException(noneSubmitted(e.getMessage()));
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      out.append(
              json
                  ? "{\"line\":" + entries.get(i).line() + ",\"id\":\"" + ids.get(i) + "\"}"
                  : ids.get(i).value())
          .append('\n');
    }
    Stdout.print(out.toString());
    return ExitCode.OK.code();
  }
}
