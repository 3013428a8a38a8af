package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code latency} scenario: single submits at a steady rate well below saturation, idle workers
 * waiting; per task, submit to start and submit to finish. The task is {@code clock.wat}, whose
 * result is the wall-clock time its code started at (WASI {@code clock_time_get}, to the
 * microsecond), and the submit time is taken just before each submit on the same machine's clock:
 * so submit-to-start is the time until the task's own code runs, to the microsecond. Submit to
 * finish uses the task hash's {@code finished_at}, whole milliseconds. {@value #WARM_UP_SECONDS} s
 * at the same rate go first, unmeasured.
 */
final class LatencyScenario {
  /** How long the unmeasured warm-up at the same rate lasts (at most the measured time). */
  static final int WARM_UP_SECONDS = 10;

  static final Duration WARM_UP = Duration.ofSeconds(WARM_UP_SECONDS);

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
    // Unmeasured first: a steady rate means warm workers, not a JVM's first compilations.
    Duration warmUp = duration.compareTo(WARM_UP) < 0 ? duration : WARM_UP;
    long warmEnded = setup.ended("default");
    int warm = count(warmUp);
    submitAtRate(warm, new long[warm]);
    setup.awaitEnded("default", warmEnded + warm);
    int n = count(duration);
    long endedBefore = setup.ended("default");
    long start = System.nanoTime();
    long[] submittedAt = new long[n];
    List<TaskId> submitted = submitAtRate(n, submittedAt);
    double seconds = (System.nanoTime() - start) / 1e9;
    setup.awaitEnded("default", endedBefore + n);
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    double[] toStart = new double[n];
    double[] toFinish = new double[n];
    for (int i = 0; i < n; i++) {
      Task task = inspector.find("default", submitted.get(i)).orElseThrow();
      long startedAt =
          Long.parseLong(new String(task.result().orElseThrow().bytes(), StandardCharsets.UTF_8));
      toStart[i] = (startedAt - submittedAt[i]) / 1e6;
      // finished_at is in whole milliseconds: the task ended within the millisecond after it.
      // Counted at that millisecond's end, so that the figure is never below the truth (it was
      // below zero at the median once the path got faster than a millisecond).
      long finishedBy = epochNanos(task.finishedAt().orElseThrow()) + 1_000_000L;
      toFinish[i] = (finishedBy - submittedAt[i]) / 1e6;
    }
    Arrays.sort(toStart);
    Arrays.sort(toFinish);
    return List.of(
        Row.percentiles("latency submit-to-start " + rate + "/s", setup, seconds, toStart),
        Row.percentiles("latency submit-to-finish " + rate + "/s", setup, seconds, toFinish));
  }

  private int count(Duration span) {
    return (int) Math.max(1, rate * span.toMillis() / 1000);
  }

  /** Submits {@code n} clock tasks at the rate, noting when each was submitted. */
  private List<TaskId> submitAtRate(int n, long[] submittedAt) {
    long start = System.nanoTime();
    List<TaskId> submitted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long due = start + i * 1_000_000_000L / rate;
      // Parked, not spinning: on a small machine a spinning thread takes the CPU Redis and the
      // worker need.
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      submittedAt[i] = epochNanos(Instant.now());
      submitted.add(setup.submitter.submit(Submission.builder(BenchSetup.CLOCK, "{}").build()));
    }
    return submitted;
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
