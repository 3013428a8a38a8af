package dev.taskqueue.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * One metric's data points by queue and task name, each asked of the metric once, when first used,
 * as the metric would make it. A metric's own lookup builds a list of the label values and hashes
 * it at every call, which came to 1-2% of a draining worker's CPU at four lookups a task; this is
 * two lookups by string.
 *
 * @param <T> the data point: a counter's, or a histogram's
 */
final class TaskPoints<T> {
  private final BiFunction<String, String, T> lookup;
  private final Map<String, Map<String, T>> byQueue = new ConcurrentHashMap<>();

  /**
   * @param lookup the metric's data point for a queue and a task name
   */
  TaskPoints(BiFunction<String, String, T> lookup) {
    this.lookup = lookup;
  }

  T get(String queue, String task) {
    Map<String, T> byTask = byQueue.get(queue);
    if (byTask == null) {
      byTask = byQueue.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
    }
    T point = byTask.get(task);
    return point != null ? point : byTask.computeIfAbsent(task, t -> lookup.apply(queue, t));
  }
}
