package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.lease.AttemptEnd;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.sandbox.LimitHits;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskResult;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The task metrics by queue and task name, each series there once it was first counted and not
 * before, however often the worker counts it: their data points are kept, not looked up a task.
 */
class WorkerMetricsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final WorkerMetrics metrics =
      new WorkerMetrics(registry, 4, new LimitHits(), new ModuleCache(1, digest -> new byte[0]));

  @Test
  void countsEachQueueAndTaskNameApart() {
    run("default", "greeter", true);
    run("default", "greeter", true);
    run("default", "other", false);
    run("urgent", "greeter", true);

    assertEquals(
        Map.of("default/greeter", 2.0, "default/other", 1.0, "urgent/greeter", 1.0),
        counters("taskqueue_tasks_started"));
    assertEquals(
        Map.of("default/greeter", 2.0, "urgent/greeter", 1.0),
        counters("taskqueue_tasks_completed"));
    assertEquals(Map.of("default/other", 1.0), counters("taskqueue_tasks_failed"));
    assertEquals(Map.of("default/other", 1.0), counters("taskqueue_tasks_retried"));
    assertEquals(Map.of(), counters("taskqueue_tasks_dead"), "no series before its first count");
    assertEquals(
        Map.of("default/greeter", 2L, "default/other", 1L, "urgent/greeter", 1L),
        histogramCounts("taskqueue_task_execution_seconds"));
    assertEquals(
        Map.of("default", 3L, "urgent", 1L), histogramCounts("taskqueue_task_start_delay_seconds"));
  }

  /** A task started, ran and ended: completed, or failed and due to be retried. */
  private void run(String queue, String name, boolean completes) {
    Task task = RunningTask.of(queue, name, 1, CLOCK);
    metrics.started(task, CLOCK.instant());
    metrics.executed(task, Duration.ofMillis(3));
    Lease lease = new Lease(task.id(), queue, "w1", 1, CLOCK.instant().plusSeconds(3));
    AttemptOutcome outcome =
        completes
            ? AttemptOutcome.completed(
                lease, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty())
            : AttemptOutcome.failed(lease, "boom", Optional.empty());
    Stage stage = completes ? Stage.COMPLETED : Stage.RETRYING;
    metrics.ended(
        outcome, new Ending(AttemptEnd.RECORDED, Optional.of(stage), Optional.empty()), name);
  }

  /** A counter's values by "queue/task". */
  private Map<String, Double> counters(String name) {
    return byLabels(name, point -> ((CounterDataPointSnapshot) point).getValue());
  }

  /** A histogram's observation counts by "queue/task", or by queue where it has no task label. */
  private Map<String, Long> histogramCounts(String name) {
    return byLabels(name, point -> ((HistogramDataPointSnapshot) point).getCount());
  }

  /** What {@code value} reads of each data point of metric {@code name}, by its labels' key. */
  private <T> Map<String, T> byLabels(String name, Function<DataPointSnapshot, T> value) {
    Map<String, T> values = new TreeMap<>();
    for (DataPointSnapshot point : snapshot(name).getDataPoints()) {
      values.put(key(point.getLabels()), value.apply(point));
    }
    return values;
  }

  private MetricSnapshot snapshot(String name) {
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  private static String key(Labels labels) {
    String task = labels.get("task");
    return task == null ? labels.get("queue") : labels.get("queue") + "/" + task;
  }
}
