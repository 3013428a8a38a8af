package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** claim.lua, through {@link Claimer#claim}. */
@ExtendWith(RedisExtension.class)
class ClaimTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private LeaseFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
  }

  @Test
  void anEmptyQueueYieldsNothingAndWritesNothing() {
    assertEquals(List.of(), f.claim("default", "w1", 4));
    assertEquals(Map.of(), f.state());
  }

  @Test
  void aClaimTakesTheFrontThePreviousReplyGaveAndOtherwiseReadsTheQueue() {
    List<NewTask> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(f.tasks.greeter("{}"));
      f.enqueuer.enqueue(tasks.get(i));
    }
    Claimer claimer = f.claimer("w1");
    Lease first = claimer.claim("default", 2).get(0).lease();
    // Released to the very front; the claimer still goes by the front its reply gave (t2, t3).
    f.recorder.release(first);

    assertEquals(List.of(tasks.get(2).id()), ids(claimer.claim("default", 1)));
    assertEquals(
        List.of(tasks.get(0).id()), ids(claimer.claim("default", 1)), "then the front as it is");
    assertTrue(claimer.moreWaiting(), "t3 and t4 were at the front");
    assertEquals(List.of(tasks.get(3).id(), tasks.get(4).id()), ids(claimer.claim("default", 5)));
    assertFalse(claimer.moreWaiting(), "the queue is empty");
    assertEquals(List.of(), claimer.claim("default", 5), "an empty front is read again");
    NewTask late = f.tasks.greeter("{}");
    f.enqueuer.enqueue(late);
    assertEquals(List.of(late.id()), ids(claimer.claim("default", 5)));
  }

  /** Payloads of 1 MiB: a claim for ten takes the four that bring it to 4 MiB, then the rest. */
  @Test
  void aClaimOfLargePayloadsTakesAsManyAsComeToItsBytes() {
    String mib = "\"" + "x".repeat((1 << 20) - 2) + "\"";
    List<NewTask> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(f.tasks.greeter(mib));
      f.enqueuer.enqueue(tasks.get(i));
    }
    Claimer claimer = f.claimer("w1");

    List<Claimed> first = claimer.claim("default", 10);

    assertEquals(tasks.subList(0, 4).stream().map(NewTask::id).toList(), ids(first));
    assertEquals(mib, ((Claimed.Ready) first.get(3)).task().payload());
    assertTrue(claimer.moreWaiting());
    assertEquals(
        tasks.subList(4, 8).stream().map(NewTask::id).toList(), ids(claimer.claim("default", 10)));
    assertEquals(
        tasks.subList(8, 10).stream().map(NewTask::id).toList(), ids(claimer.claim("default", 10)));
  }

  /**
   * The claim sent on a wake-up, without waiting: only when the front is known, as a marker that
   * names a task makes it; its reply is taken in as a claim's is.
   */
  @Test
  void anAsyncClaimTakesTheTaskAMarkerNamedAndOnlyThen() throws Exception {
    Claimer claimer = f.claimer("w1");
    assertEquals(Optional.empty(), claimer.claimAsync("default", 4), "the front is unknown");
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    claimer.woken("default", Optional.of(task.id().value()));

    List<Claimed> claimed =
        claimer.claimAsync("default", 4).orElseThrow().get(10, TimeUnit.SECONDS);

    assertEquals(List.of(task.id()), ids(claimed));
    assertEquals("w1", f.hash(f.keys.task("default", task.id())).get("worker_id"));
    assertTrue(claimer.takeDrained(List.of("default")), "the reply said the queue was left empty");
  }

  private static List<dev.taskqueue.task.TaskId> ids(List<Claimed> claimed) {
    return claimed.stream().map(c -> c.lease().taskId()).toList();
  }

  @Test
  void takesTheOldestTaskAndRecordsWhoHoldsItUntilWhen() {
    NewTask first = f.tasks.greeter("{\"n\":1}");
    NewTask second = f.tasks.greeter("{\"n\":2}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(second);
    f.clock.advance(Duration.ofSeconds(2));
    long now = f.clock.millis();
    long expires = now + LeaseFixture.LEASE.toMillis();

    List<Claimed> claimed = f.claim("default", "w1", 1);

    assertEquals(1, claimed.size());
    Claimed.Ready ready = assertInstanceOf(Claimed.Ready.class, claimed.get(0));
    Task task = ready.task();
    assertEquals(first.id(), task.id());
    assertEquals(Stage.IN_PROGRESS, task.stage());
    assertEquals(1, task.attempts());
    assertEquals(1, task.leaseToken());
    assertEquals("{\"n\":1}", task.payload());
    assertEquals(Optional.of(Instant.ofEpochMilli(now)), task.startedAt());
    assertEquals(
        new Lease(first.id(), "default", "w1", 1, Instant.ofEpochMilli(expires)), ready.lease());

    Map<String, Object> state = f.state();
    assertEquals(List.of(second.id().value()), state.get(f.keys.pending("default")));
    assertEquals(List.of(first.id().value()), state.get(f.keys.processing("default")));
    assertEquals(
        Map.of(first.id().value(), (double) expires), state.get(f.keys.timeout("default")));
    assertEquals(
        Map.of(second.id().value(), 0.0),
        state.get(f.keys.marker("default")),
        "work remains: the marker names the task at the front");
    Map<String, String> hash = f.hash(f.keys.task("default", first.id()));
    assertEquals("in_progress", hash.get("stage"));
    assertEquals("1", hash.get("attempts"));
    assertEquals("1", hash.get("lease_token"));
    assertEquals("w1", hash.get("worker_id"));
    assertEquals("w1.example", hash.get("worker_host"));
    assertEquals(Long.toString(now), hash.get("started_at"));
    assertEquals(Long.toString(expires), hash.get("lease_expires_at"));
    assertEquals("pending", f.hash(f.keys.task("default", second.id())).get("stage"), "untouched");
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "still open");
    List<String> records =
        state.keySet().stream().filter(k -> k.startsWith(claimRecordPrefix())).toList();
    assertEquals(1, records.size(), "one record of the claim: " + state.keySet());
    assertEquals("1 " + first.id() + ":1", state.get(records.get(0)));
  }

  @Test
  void takesSeveralInOneCallInQueueOrderAndClearsTheMarkerWhenDrained() {
    NewTask a = f.tasks.greeter("{}");
    NewTask b = f.tasks.greeter("{}");
    f.enqueuer.enqueue(a);
    f.enqueuer.enqueue(b);

    List<Claimed> claimed = f.claim("default", "w1", 5);

    assertEquals(List.of(a.id(), b.id()), claimed.stream().map(c -> c.lease().taskId()).toList());
    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.marker("default")), "no work left, no marker");
    assertEquals(List.of(b.id().value(), a.id().value()), state.get(f.keys.processing("default")));
    assertEquals(2, ((Map<?, ?>) state.get(f.keys.timeout("default"))).size());
  }

  @Test
  void aSecondClaimOfTheSameTaskGetsANewTokenAndAttemptAndNotThePastOnes() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    Lease first = f.claimOne("default", "w1").lease();
    assertEquals(AttemptEnd.RECORDED, f.recorder.release(first).result());

    Claimed.Ready again = f.claimOne("default", "w2");

    assertEquals(2, again.task().attempts());
    assertEquals(2, again.lease().token());
    assertEquals("w2", again.task().workerId().orElseThrow());
    // What running it needs, not the records of past attempts.
    assertEquals(List.of(), again.task().history(), "its released attempt is not read");
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder
            .complete(first, dev.taskqueue.task.TaskResult.of(new byte[0]), Optional.empty())
            .result(),
        "the first holder lost its lease");
  }

  /** The claim sends values as stored: nothing is escaped on the way, nor lost. */
  @Test
  void aPayloadArrivesExactlyAsSubmitted() {
    String payload =
        "{\"q\":\"\\\"\\\\ /\",\"t\":\"\\t\\n\",\"u\":\"é ✓ 𝄞\",\"raw\":\"\t\"}\u0000";
    Claimed.Ready ready = f.enqueueAndClaim(f.tasks.greeter(payload));

    assertEquals(payload, ready.task().payload());
  }

  @Test
  void dropsAnIdWhoseHashIsGoneInsteadOfClaimingIt() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.client.getKeys().delete(f.keys.task("default", task.id()));

    assertEquals(List.of(), f.claim("default", "w1", 1));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
  }

  /** Issue 12, item 7: one malformed hash in a batch must not strand the healthy ones. */
  @Test
  void aCorruptTaskInABatchIsLeasedOnItsOwnAndTheOthersAreReady() {
    NewTask first = f.tasks.greeter("{}");
    NewTask corrupt = f.tasks.greeter("{}");
    NewTask last = f.tasks.greeter("{}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(corrupt);
    f.enqueuer.enqueue(last);
    String key = f.keys.task("default", corrupt.id());
    ObjectNode shape = (ObjectNode) JSON.readTree(f.hash(key).get("shape"));
    shape.put("timeout_ms", "soon");
    shape.remove("max_retries");
    f.client.getMap(key).put("shape", shape.toString());

    List<Claimed> claimed = f.claim("default", "w1", 3);

    assertEquals(3, claimed.size());
    assertInstanceOf(Claimed.Ready.class, claimed.get(0));
    Claimed.Corrupt bad = assertInstanceOf(Claimed.Corrupt.class, claimed.get(1));
    assertInstanceOf(Claimed.Ready.class, claimed.get(2));
    assertEquals(corrupt.id(), bad.lease().taskId());
    assertEquals(
        "task hash '" + corrupt.id() + "' is corrupt: it lacks the field 'max_retries'",
        bad.problem());
    long now = f.clock.millis();
    assertEquals(
        Instant.ofEpochMilli(now + LeaseFixture.LEASE.toMillis()),
        bad.lease().expiresAt(),
        "a lease does not depend on the task's timeout");

    assertEquals(
        AttemptEnd.RECORDED,
        f.recorder.fail(bad.lease(), bad.problem(), Optional.empty()).result());
    assertEquals(
        "dead",
        f.hash(f.keys.task("default", corrupt.id())).get("stage"),
        "no max_retries: none left");
  }

  /** Issue 12, item 9: a name read from Redis is checked as strictly as on submit. */
  @Test
  void aTaskWhoseNameIsAPathIsCorrupt() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.client.getMap(f.keys.task("default", task.id())).put("name", "../../../../tmp/x");

    Claimed.Corrupt corrupt =
        assertInstanceOf(Claimed.Corrupt.class, f.claim("default", "w1", 1).get(0));

    assertEquals(
        "task hash '"
            + task.id()
            + "' is corrupt: its field 'name' holds '../../../../tmp/x', which is not a task name",
        corrupt.problem());
  }

  @Test
  void aHashThatClaimsToBeAnotherTaskIsCorrupt() {
    NewTask task = f.tasks.greeter("{}");
    NewTask other = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.client.getMap(f.keys.task("default", task.id())).put("id", other.id().value());

    Claimed.Corrupt corrupt =
        assertInstanceOf(Claimed.Corrupt.class, f.claim("default", "w1", 1).get(0));

    assertTrue(corrupt.problem().contains("it says it is task " + other.id()), corrupt.problem());
  }

  private String claimRecordPrefix() {
    return f.keys.claimRecord("default", "");
  }
}
