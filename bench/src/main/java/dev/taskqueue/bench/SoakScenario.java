package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code soak} scenario: many tasks through the same worker processes, in {@value #ROUNDS}
 * rounds of batch submits, and after each round what the first worker's heartbeat says of its heap
 * and threads. Both should stay flat: a leak per task shows as a climb from round to round.
 */
final class SoakScenario {
  static final int ROUNDS = 10;

  private static final double MB = 1024.0 * 1024.0;

  private final BenchSetup setup;
  private final int tasks;

  SoakScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  /** Runs the rounds, handing each round's row to {@code report} as soon as it is measured. */
  void run(Report report) throws IOException, InterruptedException {
    setup.ensureWorkers();
    int done = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      int size = tasks / ROUNDS + (round <= tasks % ROUNDS ? 1 : 0);
      EndedTasks ended = setup.ended("default");
      long start = System.nanoTime();
      for (int from = 0; from < size; from += FlowScenario.BATCH) {
        setup.submitter.submitAll(DrainScenario.noops(Math.min(FlowScenario.BATCH, size - from)));
      }
      ended.await(size);
      double seconds = (System.nanoTime() - start) / 1e9;
      done += size;
      // The next beat reports the state after the round, not during it.
      Thread.sleep(2 * BenchSetup.HEARTBEAT.toMillis());
      Map<String, String> beat = setup.firstWorkersBeat();
      report.print(
          Row.throughput(
                  "soak " + done + " tasks", size, setup, true, seconds, OptionalDouble.empty())
              .with("heap_used_mb", number(beat, "heap_used") / MB)
              .with("heap_after_gc_mb", number(beat, "heap_after_gc") / MB)
              .with("threads", number(beat, "threads")));
    }
  }

  /** A number from a worker's heartbeat record; a failure when it lacks the field. */
  static double number(Map<String, String> beat, String field) {
    String value = beat.get(field);
    if (value == null) {
      throw new TaskQueueException(
          ExitCode.FAILURE, "the worker's heartbeat has no " + field + ": " + beat);
    }
    return Double.parseDouble(value);
  }
}
