package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** release.lua, through {@link TaskLeases#release}. */
@ExtendWith(RedisExtension.class)
class ReleaseTest {
  private LeaseFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
  }

  @Test
  void putsTheTaskBackAtTheFrontOfPendingWithItsAttemptCounted() {
    NewTask first = f.tasks.greeter("{}");
    NewTask second = f.tasks.greeter("{}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(second);
    Lease lease = Lease.of(f.leases.claim("default", "w1", 1).get(0));

    assertTrue(f.leases.release(lease));

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(second.id().value(), first.id().value()),
        state.get(f.keys.pending("default")),
        "the released task is at the right end, where workers take from");
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertEquals(Map.of("work", 0.0), state.get(f.keys.marker("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", first.id()));
    assertEquals("pending", hash.get("stage"));
    assertEquals("1", hash.get("attempts"));
    assertNull(hash.get("worker_id"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals(first.id(), f.leases.claim("default", "w2", 1).get(0).id(), "runs next");
  }

  @Test
  void aStaleTokenLosesAndChangesNothing() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    Lease lease = Lease.of(f.leases.claim("default", "w1", 1).get(0));
    Lease stale = new Lease(task.id(), "default", "w1", lease.token() + 7, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertFalse(f.leases.release(stale));

    assertEquals(before, f.state());
  }
}
