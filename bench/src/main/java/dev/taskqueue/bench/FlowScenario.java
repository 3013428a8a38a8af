package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.task.TaskId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The {@code flow} scenario: tasks submitted in batches ({@code submitAll}, {@value #BATCH} at a
 * time) while the worker processes run, so submitting and running compete for Redis. End to end:
 * from the first submit to the last completion, and the Redis commands each task cost.
 */
final class FlowScenario {
  static final int BATCH = 1000;

  private final BenchSetup setup;
  private final int tasks;

  FlowScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  Row run() throws IOException, InterruptedException {
    setup.ensureWorkers();
    long endedBefore = setup.ended("default");
    CommandStats.Usage before = CommandStats.read(setup.url());
    Instant start = Instant.now();
    List<TaskId> submitted = new ArrayList<>(tasks);
    for (int from = 0; from < tasks; from += BATCH) {
      submitted.addAll(
          setup.submitter.submitAll(DrainScenario.noops(Math.min(BATCH, tasks - from))));
    }
    setup.awaitEnded("default", endedBefore + tasks);
    long commands = CommandStats.read(setup.url()).since(before).commands();
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    Instant last = start;
    for (TaskId id : submitted) {
      Instant finished = inspector.find("default", id).orElseThrow().finishedAt().orElseThrow();
      last = finished.isAfter(last) ? finished : last;
    }
    double seconds = Duration.between(start, last).toNanos() / 1e9;
    return Row.throughput(
        "flow", tasks, setup, true, seconds, OptionalDouble.of((double) commands / tasks));
  }
}
