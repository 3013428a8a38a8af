package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.schedule.DuePromoter;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * end_attempt.lua's fencing, through {@link AttemptRecorder}: who may end an attempt. A repeat of
 * the holder's request is told it stands; a stale or foreign token, an expired lease, a task not in
 * progress or gone change nothing. The outcomes themselves are {@link EndAttemptTest}'s.
 */
@ExtendWith(RedisExtension.class)
class EndAttemptFencingTest {
  private LeaseFixture f;
  private NewTask task;
  private NewTask other;
  private Lease lease;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    lease = f.enqueueAndClaim(task).lease();
    other = f.tasks.greeter("{}");
    f.enqueuer.enqueue(other); // pending, behind the claimed one
    f.clock.advance(Duration.ofMillis(250));
  }

  /** A repeat of a request whose reply was lost is told it stands. */
  @Test
  void theSameEndingAgainIsReportedAsAlreadyRecordedAndChangesNothing() {
    f.recorder.fail(lease, "boom", Optional.empty());
    Map<String, Object> failed = f.state();

    assertEquals(
        AttemptEnd.ALREADY_RECORDED, f.recorder.fail(lease, "boom", Optional.empty()).result());
    assertEquals(failed, f.state());
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.complete(lease, TaskResult.of(new byte[] {1}), Optional.empty()).result(),
        "another ending after it is not the same request");
    assertEquals(failed, f.state());
  }

  @Test
  void aRepeatIsStillRecognisedAfterTheTaskWasClaimedAgain() {
    f.recorder.fail(lease, "boom", Optional.empty());
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(1, promote("default"));
    Lease second = f.claimOne("default", "w1").lease();
    Map<String, Object> before = f.state();

    assertEquals(
        AttemptEnd.ALREADY_RECORDED, f.recorder.fail(lease, "boom", Optional.empty()).result());
    assertEquals(2, second.token());
    assertEquals(before, f.state());
  }

  @Test
  void aReleaseSentTwiceIsReportedAsAlreadyRecorded() {
    f.recorder.release(lease);

    assertEquals(AttemptEnd.ALREADY_RECORDED, f.recorder.release(lease).result());
  }

  @Test
  void aStaleTokenLosesAndChangesNothing() {
    Map<String, Object> before = f.state();
    Lease stale = new Lease(lease.taskId(), "default", "w1", lease.token() + 1, lease.expiresAt());

    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.complete(stale, TaskResult.of(new byte[0]), Optional.empty()).result());
    assertEquals(AttemptEnd.LEASE_LOST, f.recorder.fail(stale, "boom", Optional.empty()).result());
    assertEquals(AttemptEnd.LEASE_LOST, f.recorder.release(stale).result());

    assertEquals(before, f.state());
  }

  /** Redis lost a claim (a crash between fsyncs): the same token went to another worker. */
  @Test
  void anotherWorkerWithTheSameTokenCannotEndTheAttempt() {
    Map<String, Object> before = f.state();
    Lease impostor = new Lease(lease.taskId(), "default", "w9", lease.token(), lease.expiresAt());

    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.complete(impostor, TaskResult.of(new byte[0]), Optional.empty()).result());
    assertEquals(before, f.state());
    f.recorder.fail(lease, "boom", Optional.empty());
    assertEquals(
        AttemptEnd.LEASE_LOST,
        f.recorder.fail(impostor, "boom", Optional.empty()).result(),
        "nor pass for a repeat of the holder's request");
  }

  @Test
  void aTaskThatIsNotInProgressCannotEnd() {
    Lease pending = new Lease(other.id(), "default", "w1", 0, lease.expiresAt());
    Map<String, Object> before = f.state();

    assertEquals(
        AttemptEnd.LEASE_LOST, f.recorder.fail(pending, "boom", Optional.empty()).result());

    assertEquals(before, f.state());
  }

  /** An attempt whose lease ran out is no longer its holder's to end. */
  @Test
  void anExpiredLeaseCannotEndTheAttempt() {
    f.clock.set(lease.expiresAt().plusMillis(1));
    Map<String, Object> before = f.state();

    assertEquals(
        AttemptEnd.LEASE_EXPIRED,
        f.recorder.complete(lease, TaskResult.of(new byte[0]), Optional.empty()).result());
    assertEquals(AttemptEnd.LEASE_EXPIRED, f.recorder.release(lease).result());

    assertEquals(before, f.state());
  }

  @Test
  void anOutcomeAfterTheReaperTookTheTaskOverIsDiscarded() {
    f.clock.set(lease.expiresAt().plusMillis(1));
    f.reaper.reap("default", 10);
    Map<String, Object> reaped = f.state();

    assertEquals(
        AttemptEnd.LEASE_EXPIRED,
        f.recorder.complete(lease, TaskResult.of(new byte[0]), Optional.empty()).result());

    assertEquals(reaped, f.state());
    assertEquals("lost", f.attempt(task, 1).get("outcome"));
  }

  @Test
  void theLastMomentOfTheLeaseStillCounts() {
    f.clock.set(lease.expiresAt());

    assertEquals(
        AttemptEnd.RECORDED, f.recorder.fail(lease, "late but in time", Optional.empty()).result());
  }

  /** A task that is gone is not reported as a lost lease. */
  @Test
  void aMissingTaskIsToldApartFromALostLease() {
    f.client.getKeys().delete(f.keys.task("default", task.id()));
    Map<String, Object> before = f.state();

    assertEquals(AttemptEnd.TASK_GONE, f.recorder.fail(lease, "boom", Optional.empty()).result());

    assertEquals(before, f.state());
  }

  private long promote(String queue) {
    return new DuePromoter(f.session.redis(), f.keys, f.clock).promote(queue, 10);
  }
}
