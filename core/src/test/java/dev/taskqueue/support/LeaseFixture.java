package dev.taskqueue.support;

import dev.taskqueue.lease.TaskLeases;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.Map;

/** What the lease transition tests share: a session, a settable clock and the two APIs. */
public final class LeaseFixture {
  public static final Duration GRACE = Duration.ofSeconds(5);

  public final MutableClock clock = MutableClock.atFixedStart();
  public final Tasks tasks = new Tasks(clock);
  public final RedisSession session;
  public final Keys keys;
  public final TaskEnqueuer enqueuer;
  public final TaskLeases leases;
  private final String prefix;

  public LeaseFixture(TestRedis redis) {
    this.session = TestSessions.open(redis);
    this.keys = session.keys();
    this.prefix = redis.prefix();
    this.enqueuer = new TaskEnqueuer(session.redis(), session.scripts(), keys);
    this.leases = new TaskLeases(session.scripts(), keys, clock, GRACE);
  }

  /** Every key under this test's prefix with its content. */
  public Map<String, Object> state() {
    return RedisState.of(session.redis(), prefix);
  }

  /** The fields of one hash as they are stored. */
  @SuppressWarnings("unchecked")
  public Map<String, String> hash(String key) {
    return (Map<String, String>) state().get(key);
  }
}
