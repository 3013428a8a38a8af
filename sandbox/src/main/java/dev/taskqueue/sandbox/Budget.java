package dev.taskqueue.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * The time one attempt may take, counted from when the worker claimed the task: waiting for the
 * task's module to load and compile counts, as well as running it.
 *
 * @param timeout the task's timeout
 * @param startNanos when the attempt began, from {@link System#nanoTime()}
 */
public record Budget(Duration timeout, long startNanos) {
  public Budget {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("bug: negative timeout " + timeout);
    }
  }

  /** A budget of {@code timeout} that starts now. */
  public static Budget startingNow(Duration timeout) {
    return new Budget(timeout, System.nanoTime());
  }

  /** What is left of the timeout; never negative. */
  public Duration remaining() {
    Duration left = timeout.minus(elapsed());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** How long since the attempt began. */
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
