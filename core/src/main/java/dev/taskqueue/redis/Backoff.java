package dev.taskqueue.redis;

import java.time.Duration;

/**
 * How long to wait before trying Redis again after it failed to answer: doubling from a first wait
 * up to a longest, back to the first once Redis answers. By default 100 ms up to 5 s, for a
 * background loop. Used by one thread; not thread-safe.
 */
public final class Backoff {
  private final Duration first;
  private final Duration longest;
  private Duration next;

  public Backoff() {
    this(Duration.ofMillis(100), Duration.ofSeconds(5));
  }

  public Backoff(Duration first, Duration longest) {
    this.first = first;
    this.longest = longest;
    this.next = first;
  }

  /** The wait before the next try; each call doubles the one after, up to the longest. */
  public Duration next() {
    Duration wait = next;
    next = next.multipliedBy(2).compareTo(longest) > 0 ? longest : next.multipliedBy(2);
    return wait;
  }

  /** Redis answered: the next failure waits the shortest time again. */
  public void reset() {
    next = first;
  }
}
