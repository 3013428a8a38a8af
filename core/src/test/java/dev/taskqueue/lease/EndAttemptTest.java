package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

/** end_attempt.lua, through {@link AttemptRecorder}: complete, fail and release. */
@ExtendWith(RedisExtension.class)
class EndAttemptTest {
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
    lease = f.claimOne("default", "w1").lease();
    f.clock.advance(Duration.ofMillis(250));
  }

  @Test
  void completeStoresTheResultAndMovesTheTaskToFinished() {
    TaskResult result = TaskResult.of("{\"ok\":true}".getBytes(StandardCharsets.UTF_8));

    assertEquals(
        AttemptEnd.RECORDED,
        f.recorder.complete(lease, result, Optional.of("/logs/greeter/x.log")));

    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")), "one still open");
    assertEquals(List.of(other.id().value()), state.get(f.keys.pending("default")));
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
  void completeKeepsBinaryResultsAsBase64() {
    byte[] bytes = {(byte) 0xff, 0, 1};

    assertEquals(
        AttemptEnd.RECORDED, f.recorder.complete(lease, TaskResult.of(bytes), Optional.empty()));

    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("base64", hash.get("result_encoding"));
    assertEquals("/wAB", hash.get("result"));
    assertNull(hash.get("log_path"));
  }

  @Test
  void failRecordsTheErrorKeepsTheTaskAndMovesItToFinished() {
    assertEquals(
        AttemptEnd.RECORDED,
        f.recorder.fail(lease, "trap: unreachable", Optional.of("/logs/t.log")));

    Map<String, Object> state = f.state();
    assertEquals(List.of(task.id().value()), state.get(f.keys.finished("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
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
  void releasePutsTheTaskBackAtTheFrontWithItsAttemptCounted() {
    assertEquals(AttemptEnd.RECORDED, f.recorder.release(lease));

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(other.id().value(), task.id().value()),
        state.get(f.keys.pending("default")),
        "the released task is at the right end, where workers take from");
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertEquals(Map.of("work", 0.0), state.get(f.keys.marker("default")));
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "still open");
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("pending", hash.get("stage"));
    assertEquals("1", hash.get("attempts"));
    assertNull(hash.get("worker_id"));
    assertNull(hash.get("lease_expires_at"));
    assertEquals(task.id(), f.claimOne("default", "w2").task().id(), "runs next");
  }

  /** Issue 12, item 2: a repeat of a request whose reply was lost is told it stands. */
  @Test
  void theSameEndingAgainIsReportedAsAlreadyRecordedAndChangesNothing() {
    TaskResult result = TaskResult.of(new byte[] {1});
    f.recorder.complete(lease, result, Optional.empty());
    Map<String, Object> completed = f.state();

    assertEquals(AttemptEnd.ALREADY_RECORDED, f.recorder.complete(lease, result, Optional.empty()));
    assertEquals(completed, f.state());
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.fail(lease, "late", Optional.empty()),
        "another ending after it is not the same request");
    assertEquals(completed, f.state());
  }

  @Test
  void aReleaseSentTwiceIsReportedAsAlreadyRecorded() {
    f.recorder.release(lease);

    assertEquals(AttemptEnd.ALREADY_RECORDED, f.recorder.release(lease));
  }

  @Test
  void aStaleTokenLosesAndChangesNothing() {
    Map<String, Object> before = f.state();
    Lease stale = new Lease(lease.taskId(), "default", "w1", lease.token() + 1, lease.expiresAt());

    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.complete(stale, TaskResult.of(new byte[0]), Optional.empty()));
    assertEquals(AttemptEnd.LEASE_LOST, f.recorder.fail(stale, "boom", Optional.empty()));
    assertEquals(AttemptEnd.LEASE_LOST, f.recorder.release(stale));

    assertEquals(before, f.state());
  }

  @Test
  void aTaskThatIsNotInProgressCannotEnd() {
    Lease pending = new Lease(other.id(), "default", "w1", 0, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertEquals(AttemptEnd.LEASE_LOST, f.recorder.fail(pending, "boom", Optional.empty()));

    assertEquals(before, f.state());
  }

  /** Issue 12, item 5: an attempt whose lease ran out is no longer its holder's to end. */
  @Test
  void anExpiredLeaseCannotEndTheAttempt() {
    f.clock.set(lease.expiresAt().plusMillis(1));
    Map<String, Object> before = f.state();

    assertEquals(
        AttemptEnd.LEASE_EXPIRED,
        f.recorder.complete(lease, TaskResult.of(new byte[0]), Optional.empty()));
    assertEquals(AttemptEnd.LEASE_EXPIRED, f.recorder.release(lease));

    assertEquals(before, f.state());
  }

  @Test
  void theLastMomentOfTheLeaseStillCounts() {
    f.clock.set(lease.expiresAt());

    assertEquals(AttemptEnd.RECORDED, f.recorder.fail(lease, "late but in time", Optional.empty()));
  }

  /** Issue 12, item 11: a task that is gone is not reported as a lost lease. */
  @Test
  void aMissingTaskIsToldApartFromALostLease() {
    f.client.getKeys().delete(f.keys.task("default", task.id()));
    Map<String, Object> before = f.state();

    assertEquals(AttemptEnd.TASK_GONE, f.recorder.fail(lease, "boom", Optional.empty()));

    assertEquals(before, f.state());
  }

  @Test
  void aCorruptTaskWithoutItsNameCanStillBeFailed() {
    f.client.getMap(f.keys.task("default", task.id())).remove("name");

    assertEquals(AttemptEnd.RECORDED, f.recorder.fail(lease, "corrupt", Optional.empty()));

    assertEquals("failed", f.hash(f.keys.task("default", task.id())).get("stage"));
    assertEquals(Map.of("greeter", "2"), f.state().get(f.keys.open("default")));
  }
}
