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
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** fail.lua, through {@link TaskLeases#fail}. */
@ExtendWith(RedisExtension.class)
class FailTest {
  private LeaseFixture f;
  private NewTask task;
  private NewTask other;
  private Lease lease;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    other = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.enqueuer.enqueue(other);
    lease = Lease.of(f.leases.claim("default", "w1", 1).get(0));
  }

  @Test
  void recordsTheErrorKeepsTheTaskAndMovesItToFinished() {
    assertTrue(f.leases.fail(lease, "trap: unreachable", Optional.of("/logs/t.log")));

    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertEquals(List.of(other.id().value()), state.get(f.keys.pending("default")));
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("failed", hash.get("stage"));
    assertEquals("trap: unreachable", hash.get("error"));
    assertEquals("/logs/t.log", hash.get("log_path"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("finished_at"));
    assertEquals("1", hash.get("attempts"));
    assertNull(hash.get("result"));
  }

  @Test
  void aStaleTokenLosesAndChangesNothing() {
    Lease stale = new Lease(lease.taskId(), "default", "w1", 0, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertFalse(f.leases.fail(stale, "boom", Optional.empty()));

    assertEquals(before, f.state());
  }

  @Test
  void aTaskThatIsNotInProgressCannotFail() {
    Lease pending = new Lease(other.id(), "default", "w1", 0, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertFalse(f.leases.fail(pending, "boom", Optional.empty()));

    assertEquals(before, f.state());
  }
}
