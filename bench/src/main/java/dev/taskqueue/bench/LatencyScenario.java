package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The {@code latency} scenario: single submits at a steady rate well below saturation, idle workers
 * waiting; per task, submit to start and submit to finish. The task is {@code clock.wat}, whose
 * result is the wall-clock time its code started at (WASI {@code clock_time_get}, to the
 * microsecond), and the submit time is taken just before each submit on the same machine's clock
 * ({@link SteadySubmits}): so submit-to-start is the time until the task's own code runs, to the
 * microsecond. Submit to finish uses the task hash's {@code finished_at}, whole milliseconds.
 * {@value #WARM_UP_SECONDS} s at the same rate go first, unmeasured.
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
    SteadySubmits.submit(setup, clockTasks(warm), rate);
    setup.awaitEnded("default", warmEnded + warm);
    int n = count(duration);
    long endedBefore = setup.ended("default");
    long start = System.nanoTime();
    SteadySubmits submitted = SteadySubmits.submit(setup, clockTasks(n), rate);
    double seconds = (System.nanoTime() - start) / 1e9;
    setup.awaitEnded("default", endedBefore + n);
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    double[] toStart = new double[n];
    for (int i = 0; i < n; i++) {
      Task task = inspector.find("default", submitted.ids().get(i)).orElseThrow();
      long startedAt =
          Long.parseLong(new String(task.result().orElseThrow().bytes(), StandardCharsets.UTF_8));
      toStart[i] = (startedAt - submitted.submittedAt(i)) / 1e6;
    }
    double[] toFinish = submitted.toFinishMs(inspector, "default");
    Arrays.sort(toStart);
    Arrays.sort(toFinish);
    return List.of(
        Row.percentiles("latency submit-to-start " + rate + "/s", setup, seconds, toStart),
        Row.percentiles("latency submit-to-finish " + rate + "/s", setup, seconds, toFinish));
  }

  private int count(Duration span) {
    return (int) Math.max(1, rate * span.toMillis() / 1000);
  }

  private static List<Submission> clockTasks(int n) {
    return Collections.nCopies(n, Submission.builder(BenchSetup.CLOCK, "{}").build());
  }
}
