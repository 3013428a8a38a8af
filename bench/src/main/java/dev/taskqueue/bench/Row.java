package dev.taskqueue.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One measured scenario, as the table and the JSON show it. Figures that do not apply are empty.
 *
 * @param scenario its name and variant, e.g. {@code scheduled 1000 at once}
 * @param extra figures only this scenario has (a worker's heap, its threads), in order
 */
record Row(
    String scenario,
    int tasks,
    int workers,
    int concurrency,
    boolean logs,
    double seconds,
    OptionalDouble perSecond,
    OptionalDouble p50Ms,
    OptionalDouble p99Ms,
    OptionalDouble maxMs,
    OptionalDouble redisCommandsPerTask,
    Map<String, Double> extra) {

  /**
   * The CPU each task cost the worker processes and Redis: on a machine of few cores the two share
   * them, so these say what limits a run.
   */
  static final String WORKER_CPU = "worker_cpu_us_per_task";

  static final String REDIS_CPU = "redis_cpu_us_per_task";

  /** This row with one more figure of its own. */
  Row with(String name, double value) {
    Map<String, Double> more = new LinkedHashMap<>(extra);
    more.put(name, value);
    return copy(redisCommandsPerTask, Collections.unmodifiableMap(more));
  }

  /**
   * This row with what each of its {@code tasks} cost: the Redis commands, and the CPU of the
   * worker processes ({@value #WORKER_CPU}) and of Redis ({@value #REDIS_CPU}).
   *
   * @param workerCpuSeconds the worker processes' CPU over the tasks
   * @param redis what Redis spent over the tasks
   */
  Row withCostPerTask(double workerCpuSeconds, CommandStats.Usage redis, int tasks) {
    return copy(OptionalDouble.of((double) redis.commands() / tasks), extra)
        .with(WORKER_CPU, workerCpuSeconds * 1e6 / tasks)
        .with(REDIS_CPU, redis.cpuSeconds() * 1e6 / tasks);
  }

  private Row copy(OptionalDouble commandsPerTask, Map<String, Double> figures) {
    return new Row(
        scenario,
        tasks,
        workers,
        concurrency,
        logs,
        seconds,
        perSecond,
        p50Ms,
        p99Ms,
        maxMs,
        commandsPerTask,
        figures);
  }

  /** Tasks per second over {@code seconds}, and the Redis commands per task if measured. */
  static Row throughput(
      String scenario,
      int tasks,
      BenchSetup setup,
      boolean withWorkers,
      double seconds,
      OptionalDouble commandsPerTask) {
    return new Row(
        scenario,
        tasks,
        withWorkers ? setup.workers : 0,
        withWorkers ? setup.concurrency : 0,
        setup.logs,
        seconds,
        OptionalDouble.of(tasks / seconds),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        commandsPerTask,
        Map.of());
  }

  /** Tasks per second over {@code seconds}, and the percentiles of {@code sortedMs}. */
  static Row percentiles(String scenario, BenchSetup setup, double seconds, double[] sortedMs) {
    return new Row(
        scenario,
        sortedMs.length,
        setup.workers,
        setup.concurrency,
        setup.logs,
        seconds,
        OptionalDouble.of(sortedMs.length / seconds),
        OptionalDouble.of(percentile(sortedMs, 50)),
        OptionalDouble.of(percentile(sortedMs, 99)),
        OptionalDouble.of(sortedMs[sortedMs.length - 1]),
        OptionalDouble.empty(),
        Map.of());
  }

  static double percentile(double[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
