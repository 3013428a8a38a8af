package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The {@code latency} scenario: single submits at a steady rate well below saturation, idle workers
 * waiting; per task, submit to start and submit to finish. The times are the task hash's {@code
 * created_at} (the producer's clock), {@code started_at} (the claim) and {@code finished_at}: whole
 * milliseconds, all on this machine's clock, so each figure is within about a millisecond, and a
 * p50 below one reads as 0 or 1.
 */
final class LatencyScenario {
  private final BenchSetup setup;
  private final int rate;
  private final Duration duration;

  LatencyScenario(BenchSetup setup, int rate, Duration duration) {
    this.setup = setup;
    this.rate = rate;
    this.duration = duration;
  }

  List<Row> run() throws IOException, InterruptedException {
    setup.ensureWorkers();
    int n = (int) Math.max(1, rate * duration.toMillis() / 1000);
    long endedBefore = setup.ended("default");
    long start = System.nanoTime();
    List<TaskId> submitted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long due = start + i * 1_000_000_000L / rate;
      // Parked, not spinning: on a small machine a spinning thread takes the CPU Redis and the
      // worker need.
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      submitted.add(setup.submitter.submit(Submission.builder(BenchSetup.NOOP, "{}").build()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    setup.awaitEnded("default", endedBefore + n);
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    List<Task> tasks = new ArrayList<>(n);
    for (TaskId id : submitted) {
      tasks.add(inspector.find("default", id).orElseThrow());
    }
    return List.of(
        row("latency submit-to-start " + rate + "/s", tasks, seconds, t -> t.startedAt()),
        row("latency submit-to-finish " + rate + "/s", tasks, seconds, t -> t.finishedAt()));
  }

  private Row row(
      String name,
      List<Task> tasks,
      double seconds,
      Function<Task, java.util.Optional<Instant>> to) {
    double[] ms =
        tasks.stream()
            .mapToDouble(
                t -> Duration.between(t.createdAt(), to.apply(t).orElseThrow()).toNanos() / 1e6)
            .sorted()
            .toArray();
    return Row.percentiles(name, setup, seconds, ms);
  }
}
