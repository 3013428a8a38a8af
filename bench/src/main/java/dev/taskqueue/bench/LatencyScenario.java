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
import java.util.Optional;

/**
 * The {@code latency} scenario: single submits at a steady rate well below saturation, idle workers
 * waiting; per task, submit to start and submit to finish. The task is {@code clock.wat}, whose
 * result is the wall-clock time its code started at (WASI {@code clock_time_get}, to the
 * microsecond), and the submit time is taken just before each submit on the same machine's clock
 * ({@link SteadySubmits}): so submit-to-start is the time until the task's own code runs, to the
 * microsecond. Submit to finish uses the task hash's {@code finished_at}, whole milliseconds.
 *
 * <p>Unmeasured first, a warm-up at the same rate, in rounds, until the JIT compilers of the
 * workers, the scheduler, the reaper and this process are done ({@link WarmUp}): a figure for
 * workers in service, not for JVMs still compiling the code they run per task, which at 1,000 a
 * second takes them 20 s or more on two cores. The submit-to-start row says how long the warm-up
 * took ({@value WarmUp#KEY}), what the JIT still used while measured ({@value JitCpu#KEY}), the
 * Redis commands per task, and the CPU each task cost the workers and Redis while measured.
 */
final class LatencyScenario {
  /** One round of the warm-up (at most the measured time). */
  static final Duration WARM_UP_ROUND = Duration.ofSeconds(5);

  /** The shortest warm-up (at most the measured time): what it was before it watched the JIT. */
  static final Duration LEAST_WARM_UP = Duration.ofSeconds(10);

  /** The longest warm-up (at most six times the measured time): then it is measured regardless. */
  static final Duration MOST_WARM_UP = Duration.ofSeconds(60);

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
    double warmUpSeconds = warmUp();
    int n = count(duration);
    EndedTasks ended = setup.ended("default");
    Optional<JitCpu.Snapshot> jitBefore = JitCpu.read(setup.jvmPidsAndThis());
    double cpuBefore = setup.workerCpuSeconds();
    CommandStats.Usage redisBefore = CommandStats.read(setup.url());
    long start = System.nanoTime();
    SteadySubmits submitted = SteadySubmits.submit(setup, clockTasks(n), rate);
    double seconds = (System.nanoTime() - start) / 1e9;
    ended.await(n);
    double workerCpu = setup.workerCpuSeconds() - cpuBefore;
    CommandStats.Usage redis = CommandStats.read(setup.url()).since(redisBefore);
    Optional<JitCpu.Snapshot> jitAfter = JitCpu.read(setup.jvmPidsAndThis());
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
    Row startRow =
        Row.percentiles("latency submit-to-start " + rate + "/s", setup, seconds, toStart)
            .withCostPerTask(workerCpu, redis, n)
            .with(WarmUp.KEY, warmUpSeconds);
    if (jitBefore.isPresent() && jitAfter.isPresent()) {
      startRow = startRow.with(JitCpu.KEY, jitAfter.get().nanosSince(jitBefore.get()) / 1e6);
    }
    return List.of(
        startRow,
        Row.percentiles("latency submit-to-finish " + rate + "/s", setup, seconds, toFinish));
  }

  /**
   * Submits at the measured rate, unmeasured, in rounds of {@link #WARM_UP_ROUND}, for at least
   * {@link #LEAST_WARM_UP} and then until the JVMs' JIT is done ({@link WarmUp}), or {@link
   * #MOST_WARM_UP} has passed.
   *
   * @return how long it took, in seconds
   */
  private double warmUp() throws InterruptedException {
    Duration round = shorter(WARM_UP_ROUND, duration);
    long least = Math.max(1, shorter(LEAST_WARM_UP, duration).toNanos() / round.toNanos());
    long most = shorter(MOST_WARM_UP, duration.multipliedBy(6)).toNanos() / round.toNanos();
    return WarmUp.until(
        setup::jvmPidsAndThis,
        least,
        most,
        () -> {
          EndedTasks ended = setup.ended("default");
          int tasks = count(round);
          SteadySubmits.submit(setup, clockTasks(tasks), rate);
          ended.await(tasks);
        });
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private int count(Duration span) {
    return (int) Math.max(1, rate * span.toMillis() / 1000);
  }

  private static List<Submission> clockTasks(int n) {
    return Collections.nCopies(n, Submission.builder(BenchSetup.CLOCK, "{}").build());
  }
}
