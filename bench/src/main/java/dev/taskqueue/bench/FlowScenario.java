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
 * from the first submit to the last completion, and the Redis commands and the CPU each task cost
 * the workers, Redis and the bench itself (its submits, and its checks for the end), which share
 * the machine's cores.
 *
 * <p>Unmeasured first, rounds of the same flow until the JIT compilers of the workers, the
 * scheduler, the reaper and this process are all but done ({@link WarmUp}, {@link
 * #JIT_DONE_SHARE}): workers and a producer in service, as the latency measures them. Without it
 * the figure was a warm worker's after a drain and a fresh one's, about half as fast, when the flow
 * ran alone; what a fresh worker does is the drain's to say.
 */
final class FlowScenario {
  static final int BATCH = 1000;

  /** The bench's own CPU a task over the flow: the submitting client, on the same cores. */
  static final String BENCH_CPU = "bench_cpu_us_per_task";

  /** The fewest unmeasured rounds before the measured flow. */
  static final int LEAST_WARM_UP_ROUNDS = 2;

  /** The most: then the flow is measured regardless. */
  static final int MOST_WARM_UP_ROUNDS = 12;

  /**
   * The JIT counts as done for a flow once the JVMs' compilers used at most this share of one core
   * over a round. Not the latency's 1%: through rounds of a flow of 50,000 they kept at 4–15% from
   * the fourth on (80–330 ms of 1.7–2.7 s), after 5.2 s of CPU in the first, and never reached 1%
   * in twelve.
   */
  static final double JIT_DONE_SHARE = 0.1;

  private final BenchSetup setup;
  private final int tasks;

  FlowScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  Row run() throws IOException, InterruptedException {
    setup.ensureWorkers();
    double warmUpSeconds =
        WarmUp.until(
            setup::jvmPidsAndThis,
            LEAST_WARM_UP_ROUNDS,
            MOST_WARM_UP_ROUNDS,
            JIT_DONE_SHARE,
            this::submitAndAwait);
    CommandStats.Usage before = CommandStats.read(setup.url());
    double workerBefore = setup.workerCpuSeconds();
    double benchBefore = BenchSetup.cpuSeconds(ProcessHandle.current().info());
    Instant start = Instant.now();
    List<TaskId> submitted = submitAndAwait();
    double benchCpu = BenchSetup.cpuSeconds(ProcessHandle.current().info()) - benchBefore;
    double workerCpu = setup.workerCpuSeconds() - workerBefore;
    CommandStats.Usage redis = CommandStats.read(setup.url()).since(before);
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    Instant last = start;
    for (TaskId id : submitted) {
      Instant finished = inspector.find("default", id).orElseThrow().finishedAt().orElseThrow();
      last = finished.isAfter(last) ? finished : last;
    }
    double seconds = Duration.between(start, last).toNanos() / 1e9;
    return Row.throughput("flow", tasks, setup, true, seconds, OptionalDouble.empty())
        .withCostPerTask(workerCpu, redis, tasks)
        .with(BENCH_CPU, benchCpu * 1e6 / tasks)
        .with(WarmUp.KEY, warmUpSeconds);
  }

  /** One flow: every task submitted, in batches, then waited for until each has ended. */
  private List<TaskId> submitAndAwait() throws InterruptedException {
    EndedTasks ended = setup.ended("default");
    List<TaskId> submitted = new ArrayList<>(tasks);
    for (int from = 0; from < tasks; from += BATCH) {
      submitted.addAll(
          setup.submitter.submitAll(DrainScenario.noops(Math.min(BATCH, tasks - from))));
    }
    ended.await(tasks);
    return submitted;
  }
}
