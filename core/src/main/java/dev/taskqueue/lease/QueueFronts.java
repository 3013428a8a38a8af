package dev.taskqueue.lease;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a claimer knows of the front of each queue it claims from: the ids the latest claim's reply
 * (or a marker) said are there, oldest first, so that the next claim names them without reading the
 * queue ({@code LRANGE}) first. Only a hint: {@code claim.lua} skips a task taken meanwhile, and
 * its reply tells the front as it is. Not thread-safe: its claimer's.
 */
final class QueueFronts {
  /**
   * The front of a queue as the latest claim left it (or as a marker named it), oldest first.
   *
   * @param whole whether to claim these without reading the queue even when they are fewer than
   *     asked for: they were all the tasks that were pending (none, when {@code ids} is empty: the
   *     queue was drained), or a marker named the first
   */
  record Front(List<String> ids, boolean whole) {
    static final Front UNKNOWN = new Front(List.of(), false);
    static final Front DRAINED = new Front(List.of(), true);

    /** Whether it is enough to claim {@code max} from, without reading the queue. */
    boolean serves(int max) {
      return !ids.isEmpty() && (ids.size() >= max || whole);
    }

    /** Whether the latest claim left the queue with nothing pending. */
    boolean drained() {
      return ids.isEmpty() && whole;
    }
  }

  private final Map<String, Front> fronts = new HashMap<>();

  /** What is known of {@code queue}'s front; {@link Front#UNKNOWN} when nothing is. */
  Front of(String queue) {
    return fronts.getOrDefault(queue, Front.UNKNOWN);
  }

  /** The front of {@code queue} is {@code ids} (see {@link Front}). */
  void seen(String queue, List<String> ids, boolean whole) {
    fronts.put(queue, new Front(ids, whole));
  }

  /** Nothing is pending in {@code queue}: a task put there since has set its marker. */
  void drained(String queue) {
    fronts.put(queue, Front.DRAINED);
  }

  /** What was known of {@code queue}'s front is out of date. */
  void forget(String queue) {
    fronts.remove(queue);
  }

  /**
   * A marker of {@code queue} woke the worker, naming {@code frontTask} (a marker may name none):
   * unless a claim told more since, the next claim names that task.
   */
  void woken(String queue, Optional<String> frontTask) {
    if (!of(queue).ids().isEmpty()) {
      return;
    }
    if (frontTask.isPresent()) {
      seen(queue, List.of(frontTask.get()), true);
    } else {
      forget(queue);
    }
  }

  /** Whether the latest claim of some queue saw more tasks waiting at its front. */
  boolean anyWaiting() {
    for (Front front : fronts.values()) {
      if (!front.ids().isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
