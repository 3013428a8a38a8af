package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.taskqueue.queue.DeadLetters;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.ShapeField;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A task's shape (include/shape.lua): what it shares with the other tasks of its submission, one
 * field of its hash, read by the scripts that need it; and a task written before shapes, its fields
 * one by one, read the same.
 */
@ExtendWith(RedisExtension.class)
class TaskShapeLayoutTest {
  private LeaseFixture f;
  private NewTask task;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
  }

  @Test
  void aNewTaskKeepsWhatItSharesInOneFieldAndAClaimGivesItFieldByField() {
    Map<String, String> hash = f.hash(key());
    for (String field : ShapeField.FIELDS) {
      assertFalse(hash.containsKey(field), field + " is in the shape, not a field of its own");
    }

    assertShared(f.claimOne("default", "w1").task(), 30_000);
  }

  @Test
  void aTaskWrittenBeforeShapesIsClaimedFromItsOwnFields() {
    writtenBeforeShapes(Map.of("timeout_ms", "45000"));

    Claimed claimed = f.claim("default", "w1", 1).get(0);

    assertShared(assertInstanceOf(Claimed.Ready.class, claimed).task(), 45_000);
  }

  @Test
  void oneClaimGivesTasksOfBothLayoutsAndOfSeveralShapesEachTheirOwn() {
    writtenBeforeShapes(Map.of("timeout_ms", "45000"));
    NewTask shorter = Tasks.withTimeout(f.tasks.greeter("{}"), Duration.ofSeconds(20));
    NewTask longer = Tasks.withTimeout(f.tasks.greeter("{}"), Duration.ofSeconds(40));
    f.enqueuer.enqueue(shorter);
    f.enqueuer.enqueue(longer);
    f.enqueuer.enqueue(Tasks.withTimeout(f.tasks.greeter("{}"), Duration.ofSeconds(20)));

    List<Claimed> claimed = f.claim("default", "w1", 4);

    assertEquals(4, claimed.size());
    long[] timeouts = {45_000, 20_000, 40_000, 20_000};
    for (int i = 0; i < timeouts.length; i++) {
      assertShared(assertInstanceOf(Claimed.Ready.class, claimed.get(i)).task(), timeouts[i]);
    }
  }

  @Test
  void aShapeThatIsNotJsonMakesItsTaskCorruptAndNoOther() {
    NewTask next = f.tasks.greeter("{}");
    f.enqueuer.enqueue(next);
    f.client.getMap(key()).put("shape", "{not json");

    List<Claimed> claimed = f.claim("default", "w1", 2);

    Claimed.Corrupt corrupt = assertInstanceOf(Claimed.Corrupt.class, claimed.get(0));
    assertEquals(
        "task hash '"
            + task.id()
            + "' is corrupt: its field 'shape' holds '{not json', which is not the JSON of a"
            + " task's shape",
        corrupt.problem());
    assertShared(assertInstanceOf(Claimed.Ready.class, claimed.get(1)).task(), 30_000);
  }

  @Test
  void aTaskWrittenBeforeShapesRetriesByItsOwnFields() {
    writtenBeforeShapes(
        Map.of("max_retries", "1", "retry_backoff_base_ms", "100", "retry_backoff_cap_ms", "100"));
    Lease lease = f.claimOne("default", "w1").lease();

    Ending ending = f.recorder.fail(lease, "boom", Optional.empty());

    assertEquals(Optional.of(Stage.RETRYING), ending.stage(), "a retry left by its own field");
    assertEquals(
        Optional.of(f.clock.instant().plusMillis(50)),
        ending.retryAt(),
        "jitter 0.5 of its own backoff, 100 ms");
  }

  @Test
  void aTaskWrittenBeforeShapesIsReapedByItsOwnTimeout() {
    writtenBeforeShapes(Map.of("timeout_ms", "3600000"));
    Lease lease = f.claimOne("default", "w1").lease();
    f.clock.set(lease.expiresAt().plusMillis(1));

    List<Reaped> reaped = f.reaper.reap("default", 10);

    assertEquals(1, reaped.size());
    assertEquals(
        "worker w1 stopped renewing its lease (it died or lost Redis)",
        f.hash(key()).get("error"),
        "its own timeout, an hour, is not over yet");
  }

  @Test
  void aTaskWrittenBeforeShapesIsRenewedUpToItsOwnTimeout() {
    writtenBeforeShapes(Map.of("timeout_ms", "7000"));
    Claimed.Ready claimed = f.claimOne("default", "w1");
    LeaseRenewer renewer =
        new LeaseRenewer(
            f.session.redis(), f.keys, f.clock, "w1", LeaseFixture.LEASE, Duration.ofSeconds(1));
    f.clock.advance(Duration.ofSeconds(4));

    Renewal renewal = renewer.beat(Map.of(), List.of(claimed.lease())).get(0);

    assertEquals(
        Optional.of(claimed.task().startedAt().orElseThrow().plusSeconds(8)),
        renewal.until(),
        "its own timeout, 7 s, and the grace, 1 s: not the 5 s lease on from now");
  }

  @Test
  void aDeadTaskIsReplayedByTheModuleVersionInItsShape() {
    NewTask second = Tasks.withRetries(f.tasks.task("other", "greeter", "{}"), 0, Tasks.BACKOFF);
    f.enqueuer.enqueue(second.withModule(Tasks.DIGEST, 2));

    assertReplayedPastRetiredVersionOne("other", second);
  }

  @Test
  void aTaskWrittenBeforeShapesIsReplayedByItsOwnModuleVersion() {
    writtenBeforeShapes(Map.of("max_retries", "0", "module_version", "2"));

    assertReplayedPastRetiredVersionOne("default", task);
  }

  @Test
  void aTaskWrittenBeforeShapesIsReplayedOnTheNewestVersionInItsOwnFields() {
    writtenBeforeShapes(Map.of("max_retries", "0"));
    Lease lease = f.claimOne("default", "w1").lease();
    f.recorder.fail(lease, "boom", Optional.empty());
    String fixed = "sha256:" + "ab".repeat(32);
    f.client.getMap(f.keys.modules("default")).put("greeter", "3 " + fixed);

    DeadLetters.Replayed replayed =
        new DeadLetters(f.session.redis(), f.keys, f.clock)
            .replay("default", task.id(), DeadLetters.Version.NEWEST);

    assertEquals(new DeadLetters.Replayed(DeadLetters.Replay.REPLAYED, 1, 3), replayed);
    Map<String, String> hash = f.hash(key());
    assertEquals(fixed, hash.get("module_digest"));
    assertEquals("3", hash.get("module_version"));
    assertFalse(hash.containsKey("shape"), "still written as before shapes: " + hash);
  }

  /** Fails the task's one attempt, removes version 1 of its name: version 2 is replayed. */
  private void assertReplayedPastRetiredVersionOne(String queue, NewTask dead) {
    Lease lease = f.claimOne(queue, "w1").lease();
    f.recorder.fail(lease, "boom", Optional.empty());
    f.client.getMap(f.keys.retired(queue)).put("greeter", "1");

    DeadLetters.Replay replay =
        new DeadLetters(f.session.redis(), f.keys, f.clock).replay(queue, dead.id());

    assertEquals(DeadLetters.Replay.REPLAYED, replay, "version 2 was not removed");
  }

  private void assertShared(Task claimed, long timeoutMs) {
    assertEquals("default", claimed.queue());
    assertEquals(Tasks.DIGEST, claimed.moduleDigest());
    assertEquals(1, claimed.moduleVersion());
    assertEquals(Kind.IMMEDIATE, claimed.kind());
    assertEquals(3, claimed.maxRetries());
    assertEquals(task.retryBackoff(), claimed.retryBackoff());
    assertEquals(Duration.ofMillis(timeoutMs), claimed.timeout());
  }

  /** Rewrites the task's hash as it was written before shapes, with {@code changed} on top. */
  private void writtenBeforeShapes(Map<String, String> changed) {
    Map<String, String> flat = new HashMap<>(ShapeField.expand(f.hash(key())));
    flat.remove("shape");
    flat.put("attempts", "0");
    flat.put("lease_token", "0");
    flat.putAll(changed);
    f.client.getKeys().delete(key());
    f.client.<String, String>getMap(key()).putAll(flat);
  }

  private String key() {
    return f.keys.task("default", task.id());
  }
}
