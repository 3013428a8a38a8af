package dev.taskqueue.redis;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.logging.LogFields;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * A background loop's sweeps failing while Redis does not answer, told in its log: a warning for
 * each failed sweep with the wait before the next ({@link Backoff}), and one line when a sweep gets
 * through again, with how long Redis was out and how many sweeps failed. So an operator reading a
 * run of {@code <process>.redis_unavailable} warnings sees where it ended ({@code
 * <process>.redis_restored}), as a worker's {@code worker.heartbeat_restored} says. A worker's
 * claiming loop tells its outages so too, its sweeps being claims and waits. Used by one thread;
 * not thread-safe.
 */
public final class RedisOutage {
  private final Logger log;
  private final String process;
  private final String call;
  private final Clock clock;
  private final Backoff backoff = new Backoff();
  private Instant since;
  private int failed;

  /**
   * @param log the loop's logger, which the lines are written to
   * @param process the events' prefix: {@code scheduler}, {@code reaper}, {@code worker}
   * @param call what the loop calls Redis for, as its lines name it: {@code sweep}, {@code claim}
   */
  public RedisOutage(Logger log, String process, String call, Clock clock) {
    this.log = log;
    this.process = process;
    this.call = call;
    this.clock = clock;
  }

  /** A sweep failed for want of Redis: logs it, and returns how long to wait before the next. */
  public Duration failed(RedisUnavailableException e) {
    return failed(e, backoff.next());
  }

  /**
   * As {@link #failed(RedisUnavailableException)}, but the loop waits {@code wait}, a pace of its
   * own, rather than the next backoff, which stays where it was.
   */
  public Duration failed(RedisUnavailableException e, Duration wait) {
    if (since == null) {
      since = clock.instant();
    }
    failed++;
    log.atWarn()
        .addKeyValue(LogFields.EVENT, process + ".redis_unavailable")
        .log("{}; retrying in {} ms", e.getMessage(), wait.toMillis());
    return wait;
  }

  /** A sweep got through: when sweeps had failed before it, says that Redis answers again. */
  public void answered() {
    if (since == null) {
      return;
    }
    log.atInfo()
        .addKeyValue(LogFields.EVENT, process + ".redis_restored")
        .log(
            "Redis answers again, {} ms after a {} first failed (failed {}s: {})",
            Duration.between(since, clock.instant()).toMillis(),
            call,
            call,
            failed);
    since = null;
    failed = 0;
    backoff.reset();
  }
}
