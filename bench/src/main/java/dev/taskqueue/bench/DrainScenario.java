package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The {@code submit} and {@code drain} scenarios. {@code submit}: tasks submitted one at a time
 * from one client thread, through the full path a producer takes (checks, module lookup, enqueue).
 * {@code drain}: N no-op tasks already pending, then the worker processes started; first start to
 * last completion, and the Redis commands each task cost.
 */
final class DrainScenario {
  private final BenchSetup setup;
  private final int tasks;
  private final ModuleVersion module;
  private final TaskIdGenerator ids = new TaskIdGenerator(Clock.systemUTC());

  DrainScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
    this.module =
        new ModuleStore(setup.session.redis(), setup.session.keys()).require(BenchSetup.NOOP);
  }

  Row submit() throws InterruptedException {
    setup.stopWorkers();
    long start = System.nanoTime();
    for (int i = 0; i < tasks; i++) {
      setup.submitter.submit(Submission.builder(BenchSetup.NOOP, "{}").withQueue("submit").build());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Row(
        "submit single, 1 thread",
        tasks,
        0,
        0,
        setup.logs,
        seconds,
        OptionalDouble.of(tasks / seconds),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  Row drain() throws InterruptedException, IOException {
    setup.stopWorkers();
    List<TaskId> queued = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      TaskId id = ids.next();
      setup.enqueuer.enqueue(
          new NewTask(
              id,
              "default",
              BenchSetup.NOOP,
              module.digest(),
              module.version(),
              Kind.IMMEDIATE,
              "{}",
              0,
              new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
              Duration.ofSeconds(30),
              Instant.now()));
      queued.add(id);
    }
    long commandsBefore = CommandStats.total(setup.url());
    setup.startWorkers();
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
    while (setup.session.redis().llen(setup.session.keys().finished("default"))
            + setup.session.redis().llen(setup.session.keys().dlq("default"))
        < tasks) {
      if (Instant.now().isAfter(deadline)) {
        throw new TaskQueueException(ExitCode.FAILURE, "bench: the drain did not finish");
      }
      Thread.sleep(20);
    }
    // Heartbeats and idle waits count too: read before the workers have idled for long.
    long commands = CommandStats.total(setup.url()) - commandsBefore;
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
    for (TaskId id : queued) {
      Task task = inspector.find("default", id).orElseThrow();
      Instant started = task.startedAt().orElseThrow();
      Instant finished = task.finishedAt().orElseThrow();
      first = started.isBefore(first) ? started : first;
      last = finished.isAfter(last) ? finished : last;
    }
    double seconds = Duration.between(first, last).toNanos() / 1e9;
    return new Row(
        "drain",
        tasks,
        setup.workers,
        setup.concurrency,
        setup.logs,
        seconds,
        OptionalDouble.of(tasks / seconds),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.of((double) commands / tasks));
  }
}
