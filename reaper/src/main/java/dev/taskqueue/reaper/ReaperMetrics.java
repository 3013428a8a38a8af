package dev.taskqueue.reaper;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.Reaped;
import dev.taskqueue.queue.QueueDepths;
import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.queue.QueueStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a reaper counts, for {@code /metrics}: the tasks it recovered from dead or hung workers;
 * and, read from Redis at each scrape, every queue's depths and the tasks submitted to it. The
 * depths are the reaper's to export because every deployment runs one and it sweeps every queue;
 * with two reapers, take {@code max} by queue and state.
 */
final class ReaperMetrics {
  private final Counter recovered;

  ReaperMetrics(
      PrometheusRegistry registry, QueueDepths depths, QueueStats stats, QueuePauses pauses) {
    recovered =
        Counter.builder()
            .name("taskqueue_reaper_recovered")
            .help(
                "Attempts whose lease expired (worker died, hung or lost Redis), ended as lost;"
                    + " stage: what became of the task, retrying or dead.")
            .labelNames("queue", "stage")
            .withoutExemplars()
            .register(registry);
    GaugeWithCallback.builder()
        .name("taskqueue_queue_tasks")
        .help(
            "Tasks in each queue by state: pending, processing, scheduled (later and retries),"
                + " dlq (dead). Read from Redis at each scrape; none while Redis is unreachable.")
        .labelNames("queue", "state")
        .callback(
            callback -> {
              Map<String, QueueDepths.Depth> all;
              try {
                all = depths.read();
              } catch (RedisUnavailableException e) {
                return;
              }
              all.forEach(
                  (queue, depth) -> {
                    callback.call((double) depth.pending(), queue, "pending");
                    callback.call((double) depth.processing(), queue, "processing");
                    callback.call((double) depth.scheduled(), queue, "scheduled");
                    callback.call((double) depth.dlq(), queue, "dlq");
                  });
            })
        .register(registry);
    CounterWithCallback.builder()
        .name("taskqueue_tasks_submitted")
        .help(
            "Tasks ever submitted (cron firings included), by queue and task name: counted in"
                + " Redis by every producer, read at each scrape.")
        .labelNames("queue", "task")
        .callback(
            callback -> {
              try {
                for (String queue : depths.queues()) {
                  stats
                      .read(queue)
                      .submitted()
                      .forEach((task, n) -> callback.call((double) n, queue, task));
                }
              } catch (RedisUnavailableException e) {
                // left out of this scrape, like the depths
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("taskqueue_queue_paused")
        .help("1 while the queue is paused ('producer pause'), else 0. Read at each scrape.")
        .labelNames("queue")
        .callback(
            callback -> {
              try {
                List<String> queues = depths.queues();
                Set<String> paused = pauses.pausedSince(queues).keySet();
                queues.forEach(queue -> callback.call(paused.contains(queue) ? 1 : 0, queue));
              } catch (RedisUnavailableException e) {
                // left out of this scrape, like the depths
              }
            })
        .register(registry);
  }

  /** The reaper ended {@code task}'s attempt as lost. */
  void recovered(String queue, Reaped task) {
    recovered.labelValues(queue, task.retryAt().isPresent() ? "retrying" : "dead").inc();
  }
}
