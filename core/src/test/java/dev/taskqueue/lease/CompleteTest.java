package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** complete.lua, through {@link TaskLeases#complete}. */
@ExtendWith(RedisExtension.class)
class CompleteTest {
  private LeaseFixture f;
  private NewTask task;
  private Lease lease;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    lease = Lease.of(f.leases.claim("default", "w1", 1).get(0));
    f.clock.advance(Duration.ofMillis(250));
  }

  @Test
  void storesTheResultAndMovesTheTaskToFinished() {
    TaskResult result = TaskResult.of("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

    assertTrue(f.leases.complete(lease, result, Optional.of("/logs/greeter/x.log")));

    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.open("default")), "the last open greeter is gone");
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("completed", hash.get("stage"));
    assertEquals("{\"ok\":true}", hash.get("result"));
    assertEquals("utf-8", hash.get("result_encoding"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("finished_at"));
    assertEquals("/logs/greeter/x.log", hash.get("log_path"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals("w1", hash.get("worker_id"), "who ran it stays on record");
  }

  @Test
  void keepsBinaryResultsAsBase64() {
    byte[] bytes = {(byte) 0xff, 0, 1};

    assertTrue(f.leases.complete(lease, TaskResult.of(bytes), Optional.empty()));

    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("base64", hash.get("result_encoding"));
    assertEquals("/wAB", hash.get("result"));
    assertNull(hash.get("log_path"));
  }

  @Test
  void aStaleTokenLosesAndChangesNothing() {
    Lease stale = new Lease(lease.taskId(), "default", "w1", lease.token() + 1, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertFalse(f.leases.complete(stale, TaskResult.of(new byte[0]), Optional.empty()));

    assertEquals(before, f.state());
  }

  @Test
  void completingTwiceLosesTheSecondTime() {
    assertTrue(f.leases.complete(lease, TaskResult.of(new byte[0]), Optional.empty()));
    Map<String, Object> before = f.state();

    assertFalse(f.leases.complete(lease, TaskResult.of(new byte[] {1}), Optional.empty()));
    assertFalse(f.leases.fail(lease, "late", Optional.empty()));

    assertEquals(before, f.state());
  }

  @Test
  void aMissingTaskLosesAndCreatesNothing() {
    Lease ghost = new Lease(f.tasks.nextId(), "default", "w1", 1, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertFalse(f.leases.complete(ghost, TaskResult.of(new byte[0]), Optional.empty()));

    assertEquals(before, f.state());
  }
}
