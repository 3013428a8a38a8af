package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskqueue.schedule.DuePromoter;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.WakeUps;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * end_attempt.lua, through {@link AttemptRecorder}: complete, fail (retry or dead) and release,
 * each asserted on every key it touches, with a settable clock and a fixed jitter. Who may end an
 * attempt is {@link EndAttemptFencingTest}'s.
 */
@ExtendWith(RedisExtension.class)
class EndAttemptTest {
  private LeaseFixture f;
  private NewTask task;
  private NewTask other;
  private Lease lease;
  private long startedAt;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    other = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.enqueuer.enqueue(other);
    startedAt = f.clock.millis();
    lease = f.claimOne("default", "w1").lease();
    f.clock.advance(Duration.ofMillis(250));
  }

  @Test
  void completeStoresTheResultMovesTheTaskToFinishedAndKeepsTheAttempt() {
    TaskResult result = TaskResult.of("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

    Ending ending = f.recorder.complete(lease, result, Optional.of("/logs/greeter/x.log"));

    assertEquals(
        new Ending(AttemptEnd.RECORDED, Optional.of(Stage.COMPLETED), Optional.empty()), ending);
    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.dlq("default")));
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")), "one still open");
    assertEquals(List.of(other.id().value()), state.get(f.keys.pending("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("completed", hash.get("stage"));
    assertEquals("{\"ok\":true}", hash.get("result"));
    assertNull(hash.get("result_encoding"), "text, which readers take a missing encoding for");
    assertEquals(Optional.of(result), TaskHash.read(hash).result(), "read back as the text it was");
    assertEquals(Long.toString(f.clock.millis()), hash.get("finished_at"));
    assertEquals("/logs/greeter/x.log", hash.get("log_path"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals("w1", hash.get("worker_id"), "who ran it stays on record");
    assertEquals("w1.example", hash.get("worker_host"), "and where");
    assertNull(f.attempt(task, 1), "a first attempt that completes keeps no record of its own");
    assertEquals(
        List.of(
            new Attempt(
                1,
                1,
                "completed",
                Optional.of(Instant.ofEpochMilli(startedAt)),
                f.clock.instant(),
                Optional.of("w1"),
                Optional.of("w1.example"),
                Optional.empty(),
                Optional.of("/logs/greeter/x.log"),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty())),
        f.history(task),
        "the hash is its record");
  }

  /** Only a task's first attempt goes without a record: a later one must not pass for it. */
  @Test
  void anAttemptThatCompletesAfterAFailedOneKeepsItsRecord() {
    f.recorder.fail(lease, "boom", Optional.of("/logs/t.log"));
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(1, promote("default"));
    Lease second = f.claimOne("default", "w2").lease();
    long secondStarted = f.clock.millis();
    f.clock.advance(Duration.ofMillis(10));

    f.recorder.complete(second, TaskResult.of(new byte[] {'1'}), Optional.empty());

    assertEquals("failed", f.attempt(task, 1).get("outcome"));
    assertEquals(
        Map.of(
            "attempt",
            2,
            "outcome",
            "completed",
            "started_at",
            secondStarted,
            "ended_at",
            f.clock.millis(),
            "worker",
            "w2",
            "host",
            "w2.example"),
        f.attempt(task, 2),
        "no log: the hash's log_path is the failed attempt's");
    assertEquals(
        List.of("failed", "completed"), f.history(task).stream().map(Attempt::outcome).toList());
    assertNull(
        f.hash(f.keys.task("default", task.id())).get("error"), "the failed attempt's, removed");
  }

  /** The repeat of a completion that kept no record is found by the hash, and only its holder's. */
  @Test
  void aCompletionSentAgainIsAlreadyRecordedForItsWorkerOnly() {
    f.recorder.complete(lease, TaskResult.of(new byte[] {'1'}), Optional.empty());
    Map<String, Object> completed = f.state();
    Lease impostor = new Lease(lease.taskId(), "default", "w9", lease.token(), lease.expiresAt());

    assertEquals(
        AttemptEnd.ALREADY_RECORDED,
        f.recorder.complete(lease, TaskResult.of(new byte[] {'1'}), Optional.empty()).result());
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.fail(lease, "boom", Optional.empty()).result(),
        "another ending is not the same request");
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.complete(impostor, TaskResult.of(new byte[] {'1'}), Optional.empty()).result());
    assertEquals(completed, f.state());
  }

  /**
   * Issue 17: ended attempts are counted per 10 s bucket in the queue's stats hash, for the last
   * minute's throughput; a release is not an end; buckets a minute old go when a new one starts.
   */
  @Test
  void endedAttemptsAreCountedPerTenSecondBucketAndOldBucketsGo() {
    long bucket = f.clock.millis() / 10_000;
    f.recorder.complete(lease, TaskResult.of(new byte[0]), Optional.empty());
    f.recorder.fail(f.claimOne("default", "w1").lease(), "trap: unreachable", Optional.empty());
    NewTask third = f.tasks.greeter("{}");
    f.enqueuer.enqueue(third);
    f.recorder.release(f.claimOne("default", "w1").lease());

    assertEquals(
        Map.of("submitted:greeter", "3", "completed:" + bucket, "1", "failed:" + bucket, "1"),
        f.hash(f.keys.stats("default")));

    f.clock.advance(Duration.ofSeconds(70));
    f.recorder.complete(
        f.claimOne("default", "w1").lease(), TaskResult.of(new byte[0]), Optional.empty());

    assertEquals(
        Map.of("submitted:greeter", "3", "completed:" + (bucket + 7), "1"),
        f.hash(f.keys.stats("default")));
  }

  @Test
  void completeKeepsBinaryResultsAsBase64() {
    byte[] bytes = {(byte) 0xff, 0, 1};

    assertEquals(
        AttemptEnd.RECORDED,
        f.recorder.complete(lease, TaskResult.of(bytes), Optional.empty()).result());

    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("base64", hash.get("result_encoding"));
    assertEquals("/wAB", hash.get("result"));
    assertNull(hash.get("log_path"));
  }

  @Test
  void aFailedAttemptWithRetriesLeftWaitsItsBackoffInScheduled() {
    Ending ending = f.recorder.fail(lease, "trap: unreachable", Optional.of("/logs/t.log"));

    // First retry: up to the base (1 s); the jitter of 0.5 makes it 500 ms.
    long runAt = f.clock.millis() + 500;
    assertEquals(
        new Ending(
            AttemptEnd.RECORDED,
            Optional.of(Stage.RETRYING),
            Optional.of(Instant.ofEpochMilli(runAt))),
        ending);
    Map<String, Object> state = f.state();
    assertEquals(Map.of(task.id().value(), (double) runAt), state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.dlq("default")));
    assertEquals(List.of(other.id().value()), state.get(f.keys.pending("default")));
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "still open");
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("retrying", hash.get("stage"));
    assertEquals(Long.toString(runAt), hash.get("run_at"));
    assertEquals("trap: unreachable", hash.get("error"));
    assertEquals("/logs/t.log", hash.get("log_path"));
    assertEquals("1", hash.get("attempts"));
    assertNull(hash.get("worker_id"));
    assertNull(hash.get("worker_host"));
    assertNull(hash.get("finished_at"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals(
        Map.of(
            "attempt",
            1,
            "outcome",
            "failed",
            "started_at",
            startedAt,
            "ended_at",
            f.clock.millis(),
            "worker",
            "w1",
            "host",
            "w1.example",
            "error",
            "trap: unreachable",
            "log",
            "/logs/t.log",
            "retry_at",
            runAt),
        f.attempt(task, 1));
  }

  @Test
  void aRetryWakesTheSchedulersForItsTimeAndOtherEndingsDoNot() throws Exception {
    try (WakeUps wakeUps = new WakeUps(f.session)) {
      Lease second = f.claimOne("default", "w1").lease();
      f.recorder.complete(second, TaskResult.of(new byte[0]), Optional.empty());

      f.recorder.fail(lease, "trap: unreachable", Optional.empty());

      // A completion's message, had there been one, would have come first.
      assertEquals(List.of(Long.toString(f.clock.millis() + 500)), wakeUps.await(1));
    }
  }

  @Test
  void eachRetryWaitsUpToTwiceAsLongUntilTheCap() {
    NewTask slow =
        Tasks.withRetries(
            f.tasks.task("slow", "greeter", "{}"),
            10,
            new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5)));
    f.jitter = 0.999;
    List<Long> waits = new ArrayList<>();
    for (int attempt = 1; attempt <= 5; attempt++) {
      Claimed.Ready claimed = claimAlone(slow);
      Ending ending = f.recorder.fail(claimed.lease(), "boom", Optional.empty());
      waits.add(ending.retryAt().orElseThrow().toEpochMilli() - f.clock.millis());
      f.clock.set(ending.retryAt().orElseThrow());
      assertEquals(1, promote("slow"));
    }

    // floor(0.999 * min(5000, 1000 * 2^(n-1))): 999, 1998, 3996, then the cap.
    assertEquals(List.of(999L, 1998L, 3996L, 4995L, 4995L), waits);
  }

  @Test
  void theAttemptAfterTheLastRetryIsDeadAndGoesToTheDeadLetterQueue() {
    NewTask once = Tasks.withRetries(f.tasks.task("once", "greeter", "{}"), 0, Tasks.BACKOFF);
    Lease last = claimAlone(once).lease();

    Ending ending = f.recorder.fail(last, "trap: out of bounds", Optional.empty());

    assertEquals(
        new Ending(AttemptEnd.RECORDED, Optional.of(Stage.DEAD), Optional.empty()), ending);
    Map<String, Object> state = f.state();
    assertEquals(List.of(once.id().value()), state.get(f.keys.dlq("once")));
    assertNull(state.get(f.keys.scheduled("once")));
    assertNull(state.get(f.keys.processing("once")));
    assertNull(state.get(f.keys.timeout("once")));
    assertNull(state.get(f.keys.finished("once")));
    assertNull(state.get(f.keys.open("once")), "a dead task is not open");
    Map<String, String> hash = f.hash(f.keys.task("once", once.id()));
    assertEquals("dead", hash.get("stage"));
    assertEquals("trap: out of bounds", hash.get("error"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("finished_at"));
    assertNull(hash.get("run_at"));
    assertEquals("failed", f.attempt(once, last.token()).get("outcome"));
  }

  @Test
  void aFailureNoRetryCanMendIsDeadAtOnceWithRetriesLeft() {
    Ending ending =
        f.recorder
            .endAll(
                List.of(
                    AttemptOutcome.failedForGood(
                        lease, "v1 is no longer in the registry", Optional.empty())))
            .get(0);

    assertEquals(
        new Ending(AttemptEnd.RECORDED, Optional.of(Stage.DEAD), Optional.empty()), ending);
    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.dlq("default")));
    assertNull(state.get(f.keys.scheduled("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("dead", hash.get("stage"));
    assertEquals("1", hash.get("attempts"), "the first of its attempts, with retries left");
    assertEquals("v1 is no longer in the registry", hash.get("error"));
    assertNull(hash.get("run_at"));
    assertEquals("failed", f.attempt(task, lease.token()).get("outcome"));
  }

  @Test
  void releasePutsTheTaskBackAtTheFrontWithItsAttemptCounted() {
    assertEquals(Optional.of(Stage.PENDING), f.recorder.release(lease).stage());

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(other.id().value(), task.id().value()),
        state.get(f.keys.pending("default")),
        "the released task is at the right end, where workers take from");
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.scheduled("default")));
    assertEquals(
        Map.of(task.id().value(), 0.0),
        state.get(f.keys.marker("default")),
        "the marker the claim left, naming the front it saw, replaced by the task now in front");
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "still open");
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("pending", hash.get("stage"));
    assertEquals("1", hash.get("attempts"));
    assertNull(hash.get("worker_id"));
    assertNull(hash.get("worker_host"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals("released", f.attempt(task, 1).get("outcome"));
    assertEquals(task.id(), f.claimOne("default", "w2").task().id(), "runs next");
  }

  @Test
  void aCorruptTaskWithoutItsNameCanStillBeFailed() {
    f.client.getMap(f.keys.task("default", task.id())).remove("name");

    assertEquals(AttemptEnd.RECORDED, f.recorder.fail(lease, "corrupt", Optional.empty()).result());

    assertEquals("retrying", f.hash(f.keys.task("default", task.id())).get("stage"));
    assertEquals(Map.of("greeter", "2"), f.state().get(f.keys.open("default")));
  }

  /** Enqueues {@code alone} (in a queue of its own) if need be, and claims it. */
  private Claimed.Ready claimAlone(NewTask alone) {
    if (f.hash(f.keys.task(alone.queue(), alone.id())) == null) {
      f.enqueuer.enqueue(alone);
    }
    return f.claimOne(alone.queue(), "w1");
  }

  private long promote(String queue) {
    return new DuePromoter(f.session.redis(), f.keys, f.clock).promote(queue, 10);
  }
}
