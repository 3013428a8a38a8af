package dev.taskqueue.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Which firings of a schedule are due now, and its fire time after them. Each fire time is computed
 * from the previous one, never from "now", so a schedule never drifts: a scheduler that is late
 * fires the same times, only later.
 *
 * @param fireTimes the firings to run now, oldest first (may be empty, when missed ones are
 *     skipped)
 * @param next the schedule's next fire time after now; empty when the expression never fires again
 */
public record Firings(List<Instant> fireTimes, Optional<Instant> next) {
  /** A firing found later than this after its time counts as missed (the catch-up policy). */
  public static final Duration MISSED_AFTER = Duration.ofMinutes(1);

  /** The most missed firings {@link CatchUp#ALL} runs at once. */
  public static final int MAX_CATCH_UP = 100;

  /** The most fire times walked to catch up; a longer gap is crossed from now instead. */
  static final int MAX_STEPS = 100_000;

  /**
   * The firings of {@code cron} due at {@code now}, starting from {@code due}, the schedule's
   * stored next fire time (at or before now).
   */
  public static Firings due(CronExpression cron, CatchUp policy, Instant due, Instant now) {
    Deque<Instant> recent = new ArrayDeque<>();
    Optional<Instant> at = Optional.of(due);
    int steps = 0;
    while (at.isPresent() && !at.get().isAfter(now)) {
      recent.addLast(at.get());
      if (recent.size() > MAX_CATCH_UP) {
        recent.removeFirst();
      }
      if (++steps == MAX_STEPS) {
        // Years of firings every second missed: go on from now, keeping the latest found.
        at = cron.nextAfter(now);
        break;
      }
      at = cron.nextAfter(at.get());
    }
    Instant cutoff = now.minus(MISSED_AFTER);
    List<Instant> onTime = recent.stream().filter(t -> !t.isBefore(cutoff)).toList();
    boolean missed = recent.stream().anyMatch(t -> t.isBefore(cutoff));
    List<Instant> fire =
        switch (policy) {
          case ALL -> List.copyOf(recent);
          case SKIP -> onTime;
          // Runs on time cover the missed ones; with none, one run at the latest missed time.
          case FIRE_ONCE -> onTime.isEmpty() && missed ? List.of(recent.getLast()) : onTime;
        };
    return new Firings(fire, at);
  }
}
