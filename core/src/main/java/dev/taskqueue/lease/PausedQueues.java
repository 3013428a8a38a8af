package dev.taskqueue.lease;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The queues a claimer found paused, each left alone for a while ({@link Claimer#PAUSE_RECHECK}):
 * claims of it return nothing without asking Redis, and the worker does not wait on its marker. So
 * a resumed queue is served again within that time. Not thread-safe: its claimer's.
 */
final class PausedQueues {
  private final Clock clock;
  private final Duration recheck;
  private final Map<String, Long> until = new HashMap<>();

  PausedQueues(Clock clock, Duration recheck) {
    this.clock = clock;
    this.recheck = recheck;
  }

  /** Redis said {@code queue} is paused: leave it alone for a while from now. */
  void found(String queue) {
    until.put(queue, clock.millis() + recheck.toMillis());
  }

  /** Redis said {@code queue} is not paused. */
  void resumed(String queue) {
    until.remove(queue);
  }

  /** Whether {@code queue} is left alone now; one whose time is up is forgotten. */
  boolean paused(String queue) {
    Long end = until.get(queue);
    if (end == null) {
      return false;
    }
    if (end > clock.millis()) {
      return true;
    }
    until.remove(queue);
    return false;
  }

  /** Whether {@code queue} was found paused and not since resumed, its time up or not. */
  boolean foundPaused(String queue) {
    return until.containsKey(queue);
  }

  /** The queues left alone now. */
  Set<String> all() {
    if (until.isEmpty()) {
      return Set.of();
    }
    long now = clock.millis();
    until.values().removeIf(end -> end <= now);
    return Set.copyOf(until.keySet());
  }
}
