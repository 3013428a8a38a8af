package dev.taskqueue.redis;

import dev.taskqueue.error.RedisUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Sends a request that is safe to send again until Redis answers it: each script that may be resent
 * says in its header what a repeat does (a task already enqueued is reported as such, a claim
 * repeated returns what it took the first time, an outcome already recorded is reported as
 * recorded). A reply lost to a timeout or a failover then costs a resend, never a duplicate.
 */
public final class Resend {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private Resend() {}

  /**
   * Sends {@code request} until it is answered or {@code deadline} passes.
   *
   * @throws RedisUnavailableException the last failure, once the deadline has passed (or the thread
   *     was interrupted, whose flag is then set again)
   */
  public static <T> T until(Instant deadline, Clock clock, Supplier<T> request) {
    return until(() -> deadline, clock, request);
  }

  /**
   * Sends {@code request} until it is answered or the deadline passes, where the deadline may move
   * while it waits (a lease the heartbeat renews).
   */
  public static <T> T until(Supplier<Instant> deadline, Clock clock, Supplier<T> request) {
    Backoff pauses = pauses();
    while (true) {
      try {
        return request.get();
      } catch (RedisUnavailableException e) {
        Duration left = Duration.between(clock.instant(), deadline.get());
        if (left.isNegative() || left.isZero()) {
          throw e;
        }
        try {
          Thread.sleep(Math.min(pauses.next().toMillis(), left.toMillis()));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The pauses between sends: 50 ms, doubling up to 1 s. */
  public static Backoff pauses() {
    return new Backoff(FIRST_PAUSE, LONGEST_PAUSE);
  }
}
