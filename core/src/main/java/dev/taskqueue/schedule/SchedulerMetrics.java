package dev.taskqueue.schedule;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * What a scheduler counts, for {@code /metrics}: tasks it promoted and tasks its cron schedules
 * made, by queue, and how late each was (from its due time to the promotion or firing).
 */
public final class SchedulerMetrics {
  /** Seconds late: a scheduler that keeps up is within a few ms; an outage makes it minutes. */
  private static final double[] SECONDS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600
  };

  private final Counter promoted;
  private final Counter fired;
  private final Histogram lateness;

  /** Metrics counted but registered nowhere: for a promoter or firer outside a scheduler. */
  static SchedulerMetrics unregistered() {
    return new SchedulerMetrics(new PrometheusRegistry());
  }

  public SchedulerMetrics(PrometheusRegistry registry) {
    promoted =
        Counter.builder()
            .name("taskqueue_scheduler_promoted")
            .help("Tasks moved from scheduled to pending when due: later tasks and retries.")
            .labelNames("queue")
            .withoutExemplars()
            .register(registry);
    fired =
        Counter.builder()
            .name("taskqueue_scheduler_fired")
            .help("Tasks made by cron schedules firing.")
            .labelNames("queue")
            .withoutExemplars()
            .register(registry);
    lateness =
        Histogram.builder()
            .name("taskqueue_scheduler_lateness_seconds")
            .help(
                "From when a task or a firing was due to when the scheduler promoted or fired it;"
                    + " kind: promoted or fired.")
            .unit(Unit.SECONDS)
            .labelNames("queue", "kind")
            .classicUpperBounds(SECONDS)
            .classicOnly()
            .withoutExemplars()
            .register(registry);
  }

  /** {@code count} tasks of {@code queue} were promoted, the ones read due {@code late} each. */
  void promoted(String queue, long count, Iterable<Duration> late) {
    promoted.labelValues(queue).inc(count);
    for (Duration each : late) {
      lateness.labelValues(queue, "promoted").observe(seconds(each));
    }
  }

  /** A schedule of {@code queue} fired {@code late}, making {@code tasks} tasks. */
  void fired(String queue, long tasks, Duration late) {
    fired.labelValues(queue).inc(tasks);
    lateness.labelValues(queue, "fired").observe(seconds(late));
  }

  private static double seconds(Duration late) {
    return Math.max(0, late.toNanos()) / 1e9;
  }
}
