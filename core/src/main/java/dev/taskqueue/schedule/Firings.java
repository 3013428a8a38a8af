package dev.taskqueue.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Which firings of a schedule are due now, and its fire time after them. Every time is a fire time
 * of the expression, found from the schedule's stored next fire time, never by adding a period to
 * "now", so a schedule never drifts: a scheduler that is late fires the same times, only later.
 *
 * @param fireTimes the firings to run now, oldest first (may be empty, when missed ones are
 *     skipped)
 * @param missed how many due firings were missed (found more than {@link #MISSED_AFTER} late),
 *     counting at most {@link #MAX_CATCH_UP}
 * @param next the schedule's next fire time after now; empty when the expression fires no more
 */
public record Firings(List<Instant> fireTimes, int missed, Optional<Instant> next) {
  /** A firing found later than this after its time counts as missed (the catch-up policy). */
  public static final Duration MISSED_AFTER = Duration.ofMinutes(1);

  /** The most firings looked at, and run by {@link CatchUp#ALL}: the most recent ones. */
  public static final int MAX_CATCH_UP = 100;

  /**
   * The firings of {@code cron} due at {@code now}, from {@code due}, the schedule's stored next
   * fire time (at or before now). The due firings are found walking back from now, so however long
   * the gap, the most recent ones are the ones kept.
   */
  public static Firings due(CronExpression cron, CatchUp policy, Instant due, Instant now) {
    Instant cutoff = now.minus(MISSED_AFTER);
    Deque<Instant> recent = new ArrayDeque<>(); // the latest due firings, oldest first
    // Fire times are whole seconds: the latest at or before now is the last before now + 1 ms.
    Optional<Instant> at = cron.lastBefore(now.plusMillis(1));
    while (at.isPresent() && !at.get().isBefore(due) && recent.size() < MAX_CATCH_UP) {
      recent.addFirst(at.get());
      at = cron.lastBefore(at.get());
    }
    List<Instant> onTime = recent.stream().filter(t -> !t.isBefore(cutoff)).toList();
    int missed = recent.size() - onTime.size();
    List<Instant> fire =
        switch (policy) {
          case ALL -> List.copyOf(recent);
          case SKIP -> onTime;
          // Runs on time cover the missed ones; with none, one run at the latest missed time.
          case FIRE_ONCE ->
              onTime.isEmpty() && !recent.isEmpty() ? List.of(recent.getLast()) : onTime;
        };
    // The fire time after the latest due one is the first after now: still on the grid.
    Optional<Instant> next = cron.nextAfter(recent.isEmpty() ? now : recent.getLast());
    return new Firings(fire, missed, next);
  }
}
