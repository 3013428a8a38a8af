package dev.taskqueue.task;

import dev.taskqueue.config.ValueTypes;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a task waits before each retry: exponential backoff with full jitter. Retry n (after the
 * n-th failed attempt) waits a random time between 0 and {@code min(cap, base * 2^(n-1))}. The wait
 * is computed where the attempt ends, in {@code include/attempt.lua}; this record carries the two
 * numbers from the submitter's settings or flags into the task hash.
 */
public record RetryBackoff(Duration base, Duration cap) {
  public RetryBackoff {
    Objects.requireNonNull(base);
    Objects.requireNonNull(cap);
    if (base.isNegative() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "retry backoff " + format(base, cap) + ": the cap must be at least the base");
    }
  }

  /**
   * Reads {@code BASE..CAP}, such as {@code 1s..5m}.
   *
   * @throws IllegalArgumentException with a message for people
   */
  public static RetryBackoff parse(String text) {
    int dots = text.indexOf("..");
    if (dots < 0) {
      throw new IllegalArgumentException(
          "retry backoff '" + text + "' is not BASE..CAP: give two durations, such as 1s..5m");
    }
    Duration base;
    Duration cap;
    try {
      base = ValueTypes.parseDuration(text.substring(0, dots));
      cap = ValueTypes.parseDuration(text.substring(dots + 2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "retry backoff '"
              + text
              + "' is not BASE..CAP: give two durations such as 500ms, 30s, 5m or 2h, as in 1s..5m",
          e);
    }
    return new RetryBackoff(base, cap);
  }

  /** The longest wait before retry {@code n} (n >= 1); the actual wait is a random share of it. */
  public Duration ceiling(int n) {
    double ms = Math.min((double) cap.toMillis(), base.toMillis() * Math.pow(2, n - 1));
    return Duration.ofMillis((long) ms);
  }

  @Override
  public String toString() {
    return format(base, cap);
  }

  private static String format(Duration base, Duration cap) {
    return ValueTypes.format(base) + ".." + ValueTypes.format(cap);
  }
}
