package dev.taskqueue.redis;

import java.time.Duration;

/**
 * How long a background loop waits before trying Redis again after it failed to answer: 100 ms,
 * doubling up to 5 s, back to 100 ms once Redis answers. Used by one thread; not thread-safe.
 */
public final class Backoff {
  private static final Duration FIRST = Duration.ofMillis(100);
  private static final Duration LONGEST = Duration.ofSeconds(5);

  private Duration next = FIRST;

  /** The wait before the next try; each call doubles the one after, up to the longest. */
  public Duration next() {
    Duration wait = next;
    next = next.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : next.multipliedBy(2);
    return wait;
  }

  /** Redis answered: the next failure waits the shortest time again. */
  public void reset() {
    next = FIRST;
  }
}
