package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** claim.lua, through {@link TaskLeases#claim}. */
@ExtendWith(RedisExtension.class)
class ClaimTest {
  private LeaseFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
  }

  @Test
  void anEmptyQueueYieldsNothingAndWritesNothing() {
    assertEquals(List.of(), f.leases.claim("default", "w1", 4));
    assertEquals(Map.of(), f.state());
  }

  @Test
  void takesTheOldestTaskAndRecordsWhoHoldsItUntilWhen() {
    NewTask first = f.tasks.greeter("{\"n\":1}");
    NewTask second = f.tasks.greeter("{\"n\":2}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(second);
    f.clock.advance(Duration.ofSeconds(2));
    long now = f.clock.millis();
    long expires = now + 30_000 + LeaseFixture.GRACE.toMillis();

    List<Task> claimed = f.leases.claim("default", "w1", 1);

    assertEquals(1, claimed.size());
    Task task = claimed.get(0);
    assertEquals(first.id(), task.id());
    assertEquals(Stage.IN_PROGRESS, task.stage());
    assertEquals(1, task.attempts());
    assertEquals(1, task.leaseToken());
    assertEquals("{\"n\":1}", task.payload());
    assertEquals(
        new Lease(first.id(), "default", "w1", 1, Instant.ofEpochMilli(expires)), Lease.of(task));

    Map<String, Object> state = f.state();
    assertEquals(List.of(second.id().value()), state.get(f.keys.pending("default")));
    assertEquals(List.of(first.id().value()), state.get(f.keys.processing("default")));
    assertEquals(
        Map.of(first.id().value(), (double) expires), state.get(f.keys.timeout("default")));
    assertEquals(Map.of("work", 0.0), state.get(f.keys.marker("default")), "work remains");
    Map<String, String> hash = f.hash(f.keys.task("default", first.id()));
    assertEquals("in_progress", hash.get("stage"));
    assertEquals("1", hash.get("attempts"));
    assertEquals("1", hash.get("lease_token"));
    assertEquals("w1", hash.get("worker_id"));
    assertEquals(Long.toString(now), hash.get("started_at"));
    assertEquals(Long.toString(expires), hash.get("lease_expires_at"));
    assertEquals("pending", f.hash(f.keys.task("default", second.id())).get("stage"), "untouched");
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "still open");
  }

  @Test
  void takesSeveralInOneCallInQueueOrderAndClearsTheMarkerWhenDrained() {
    NewTask a = f.tasks.greeter("{}");
    NewTask b = f.tasks.greeter("{}");
    f.enqueuer.enqueue(a);
    f.enqueuer.enqueue(b);

    List<Task> claimed = f.leases.claim("default", "w1", 5);

    assertEquals(List.of(a.id(), b.id()), claimed.stream().map(Task::id).toList());
    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.marker("default")), "no work left, no marker");
    assertEquals(List.of(b.id().value(), a.id().value()), state.get(f.keys.processing("default")));
    assertEquals(2, ((Map<?, ?>) state.get(f.keys.timeout("default"))).size());
  }

  @Test
  void aSecondClaimOfTheSameTaskGetsANewTokenAndAttempt() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    Lease first = Lease.of(f.leases.claim("default", "w1", 1).get(0));
    assertTrue(f.leases.release(first));

    Task again = f.leases.claim("default", "w2", 1).get(0);

    assertEquals(2, again.attempts());
    assertEquals(2, again.leaseToken());
    assertEquals("w2", again.workerId().orElseThrow());
    assertFalse(
        f.leases.complete(
            first, dev.taskqueue.task.TaskResult.of(new byte[0]), java.util.Optional.empty()),
        "the first holder lost its lease");
  }

  @Test
  void dropsAnIdWhoseHashIsGoneInsteadOfClaimingIt() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.session.redis().getKeys().delete(f.keys.task("default", task.id()));

    assertEquals(List.of(), f.leases.claim("default", "w1", 1));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
  }
}
