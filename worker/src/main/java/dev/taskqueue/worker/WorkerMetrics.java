package dev.taskqueue.worker;

import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.sandbox.LimitHits;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a worker counts of the tasks it runs, for {@code /metrics}: attempts started and how they
 * ended, by queue and task name; how long they ran and waited; its slots; its module cache; and the
 * sandbox limits its tasks hit. docs/operations.md lists them.
 */
final class WorkerMetrics {
  /** Seconds: from a millisecond to the longest timeout a worker allows by default (24 h). */
  private static final double[] SECONDS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 86400
  };

  /** The label a task gets when its hash could not be read, so its name is unknown. */
  static final String UNKNOWN_TASK = "(corrupt)";

  private final TaskPoints<CounterDataPoint> started;
  private final TaskPoints<CounterDataPoint> completed;
  private final TaskPoints<CounterDataPoint> failed;
  private final TaskPoints<CounterDataPoint> retried;
  private final TaskPoints<CounterDataPoint> dead;
  private final TaskPoints<CounterDataPoint> released;
  private final TaskPoints<DistributionDataPoint> execution;
  private final Histogram startDelay;
  private final Map<String, DistributionDataPoint> startDelays = new ConcurrentHashMap<>();
  private final LongAdder outputCuts = new LongAdder();
  private final AtomicInteger running = new AtomicInteger();

  WorkerMetrics(PrometheusRegistry registry, int slots, LimitHits limits, ModuleCache modules) {
    started = tasks(registry, "started", "Attempts started.");
    completed = tasks(registry, "completed", "Attempts that completed the task.");
    failed = tasks(registry, "failed", "Attempts that failed (retried or dead after).");
    retried = tasks(registry, "retried", "Failed attempts after which the task waits to retry.");
    dead = tasks(registry, "dead", "Failed attempts after which the task is dead (DLQ).");
    released =
        tasks(registry, "released", "Attempts put back to their queue: the worker was stopping.");
    Histogram executionSeconds =
        Histogram.builder()
            .name("taskqueue_task_execution_seconds")
            .help("How long an attempt ran, module load and sandbox included.")
            .unit(Unit.SECONDS)
            .labelNames("queue", "task")
            .classicUpperBounds(SECONDS)
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    execution = new TaskPoints<>(executionSeconds::labelValues);
    startDelay =
        Histogram.builder()
            .name("taskqueue_task_start_delay_seconds")
            .help(
                "From when a task was due (submitted, its run-at, its retry time) to its attempt's"
                    + " start.")
            .unit(Unit.SECONDS)
            .labelNames("queue")
            .classicUpperBounds(SECONDS)
            .classicOnly()
            .withoutExemplars()
            .register(registry);
    CounterWithCallback.builder()
        .name("taskqueue_sandbox_limit_hits")
        .help(
            "Times a task ran into a sandbox limit, by limit: timeout, memory (a module starting"
                + " above the cap, or a memory.grow refused), table, result, heap, output (cut).")
        .labelNames("limit")
        .callback(
            callback -> {
              for (LimitHits.Limit limit : LimitHits.Limit.values()) {
                callback.call((double) limits.count(limit), limit.label());
              }
              callback.call((double) outputCuts.sum(), "output");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("taskqueue_worker_slots")
        .help("Tasks this worker runs at once at most.")
        .callback(callback -> callback.call(slots))
        .register(registry);
    GaugeWithCallback.builder()
        .name("taskqueue_worker_busy_slots")
        .help("Slots running a task now.")
        .callback(callback -> callback.call(running.get()))
        .register(registry);
    ModuleCache.Stats cache = modules.stats();
    CounterWithCallback.builder()
        .name("taskqueue_module_cache_hits")
        .help("Tasks whose compiled module was in the worker's cache.")
        .callback(callback -> callback.call((double) cache.hits()))
        .register(registry);
    CounterWithCallback.builder()
        .name("taskqueue_module_cache_misses")
        .help(
            "Modules loaded from Redis and compiled: for a task, or before the worker's first"
                + " claim.")
        .callback(callback -> callback.call((double) cache.misses()))
        .register(registry);
    CounterWithCallback.builder()
        .name("taskqueue_module_load_seconds")
        .help("Time spent loading modules from Redis, validating and compiling them, in all.")
        .unit(Unit.SECONDS)
        .callback(callback -> callback.call(cache.loadNanos() / 1e9))
        .register(registry);
  }

  private static TaskPoints<CounterDataPoint> tasks(
      PrometheusRegistry registry, String event, String help) {
    Counter counter =
        Counter.builder()
            .name("taskqueue_tasks_" + event)
            .help(help)
            .labelNames("queue", "task")
            .withoutExemplars()
            .register(registry);
    return new TaskPoints<>(counter::labelValues);
  }

  /** A slot starts on a claimed task. */
  void slotTaken() {
    running.incrementAndGet();
  }

  /** An attempt of {@code task}, whose hash could be read, starts now. */
  void started(Task task, Instant now) {
    started.get(task.queue(), task.name()).inc();
    Duration waited = Duration.between(task.dueAt(), now);
    DistributionDataPoint delay = startDelays.get(task.queue());
    if (delay == null) {
      delay = startDelays.computeIfAbsent(task.queue(), startDelay::labelValues);
    }
    delay.observe(Math.max(0, waited.toNanos()) / 1e9);
  }

  /** The slot is done with its task (whatever became of it). */
  void slotFreed() {
    running.decrementAndGet();
  }

  /** The guest ran for {@code elapsed}: observed whether it completed or failed. */
  void executed(Task task, Duration elapsed) {
    execution.get(task.queue(), task.name()).observe(elapsed.toNanos() / 1e9);
  }

  /** The attempt's output went past its cap. */
  void outputCut() {
    outputCuts.increment();
  }

  /** Redis recorded {@code outcome} as {@code end}; {@code taskName} is null for a corrupt task. */
  void ended(AttemptOutcome outcome, Ending end, String taskName) {
    String queue = outcome.lease().queue();
    String task = taskName == null ? UNKNOWN_TASK : taskName;
    Stage stage = end.stage().orElse(null);
    if (outcome.isFailure()) {
      failed.get(queue, task).inc();
      (stage == Stage.DEAD ? dead : retried).get(queue, task).inc();
    } else if (stage == Stage.COMPLETED) {
      completed.get(queue, task).inc();
    } else {
      released.get(queue, task).inc();
    }
  }
}
