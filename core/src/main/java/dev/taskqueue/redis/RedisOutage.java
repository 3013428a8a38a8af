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
 * <process>.redis_restored}), as a worker's {@code worker.heartbeat_restored} says. Used by one
 * thread; not thread-safe.
 */
public final class RedisOutage {
  private final Logger log;
  private final String process;
  private final Clock clock;
  private final Backoff backoff = new Backoff();
  private Instant since;
  private int failed;

  /**
   * @param log the loop's logger, which the lines are written to
   * @param process the events' prefix: {@code scheduler}, {@code reaper}
   */
  public RedisOutage(Logger log, String process, Clock clock) {
    this.log = log;
    this.process = process;
    this.clock = clock;
  }

  /** A sweep failed for want of Redis: logs it, and returns how long to wait before the next. */
  public Duration failed(RedisUnavailableException e) {
    if (since == null) {
      since = clock.instant();
    }
    failed++;
    Duration wait = backoff.next();
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
            "Redis answers again, {} ms after a sweep first failed (failed sweeps: {})",
            Duration.between(since, clock.instant()).toMillis(),
            failed);
    since = null;
    failed = 0;
    backoff.reset();
  }
}
