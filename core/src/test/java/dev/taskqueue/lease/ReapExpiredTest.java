package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.WakeUps;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** reap_expired.lua, through {@link ExpiredLeases}: a dead worker's attempt ends as lost. */
@ExtendWith(RedisExtension.class)
class ReapExpiredTest {
  private LeaseFixture f;
  private NewTask task;
  private Lease lease;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    task = f.tasks.greeter("{}");
    lease = f.enqueueAndClaim(task).lease();
  }

  @Test
  void aLeaseNotYetExpiredIsLeftAlone() {
    f.clock.set(lease.expiresAt());
    Map<String, Object> before = f.state();

    assertEquals(List.of(), f.reaper.reap("default", 10));

    assertEquals(before, f.state());
    assertEquals(Optional.of(lease.expiresAt()), f.reaper.nextExpiry("default"));
  }

  @Test
  void anExpiredLeaseEndsTheAttemptAsLostAndTheTaskWaitsForItsRetry() {
    f.clock.set(lease.expiresAt().plusMillis(1));

    List<Reaped> reaped = f.reaper.reap("default", 10);

    long runAt = f.clock.millis() + 500;
    assertEquals(
        List.of(
            new Reaped(
                task.id(), "default", Stage.RETRYING, Optional.of(Instant.ofEpochMilli(runAt)))),
        reaped);
    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.pending("default")));
    assertEquals(Map.of(task.id().value(), (double) runAt), state.get(f.keys.scheduled("default")));
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("retrying", hash.get("stage"));
    assertEquals("1", hash.get("attempts"), "the death counted as an attempt");
    assertEquals("worker w1 stopped renewing its lease (it died or lost Redis)", hash.get("error"));
    Map<String, Object> attempt = f.attempt(task, 1);
    assertEquals("lost", attempt.get("outcome"));
    assertEquals("w1", attempt.get("worker"));
    assertEquals("w1.example", attempt.get("host"), "the dead worker's machine, from its claim");
    assertEquals(runAt, attempt.get("retry_at"));
    assertEquals(Optional.empty(), f.reaper.nextExpiry("default"));
  }

  @Test
  void aTaskThatKillsEveryWorkerEndsDeadInsteadOfLooping() {
    NewTask poison = Tasks.withRetries(f.tasks.task("poison", "greeter", "{}"), 2, Tasks.BACKOFF);
    f.enqueuer.enqueue(poison);
    DuePromoterSteps steps = new DuePromoterSteps(f);
    Stage stage = null;
    int attempts = 0;
    while (stage != Stage.DEAD) {
      Lease held = f.claimOne("poison", "w" + attempts).lease();
      attempts++;
      f.clock.set(held.expiresAt().plusMillis(1));
      stage = f.reaper.reap("poison", 10).get(0).stage();
      steps.promoteAllDue("poison");
    }

    assertEquals(3, attempts, "the first attempt and its two retries");
    assertEquals(List.of(poison.id().value()), f.state().get(f.keys.dlq("poison")));
    assertEquals("dead", f.hash(f.keys.task("poison", poison.id())).get("stage"));
  }

  @Test
  void anAttemptHeldPastItsTimeoutIsSaidToHaveHung() {
    f.clock.set(lease.expiresAt().plus(Duration.ofMinutes(1)));

    f.reaper.reap("default", 10);

    assertEquals(
        "worker w1 did not end the attempt within its timeout (the worker hung or died)",
        f.hash(f.keys.task("default", task.id())).get("error"));
  }

  @Test
  void twoReapersEndEachAttemptOnce() {
    f.clock.set(lease.expiresAt().plusMillis(1));
    ExpiredLeases other = new ExpiredLeases(f.session.redis(), f.keys, f.clock, () -> 0.0);

    assertEquals(1, f.reaper.reap("default", 10).size());
    Map<String, Object> once = f.state();
    assertEquals(List.of(), other.reap("default", 10));

    assertEquals(once, f.state());
  }

  @Test
  void aLeaseRenewedAfterTheReaperReadItIsLeftAlone() {
    // The reaper read the id as expired (by its clock, a little ahead of the worker's); the
    // heartbeat renewed the lease in time by the worker's clock; then the reaper's script ran.
    f.clock.set(lease.expiresAt().minusMillis(1));
    new LeaseRenewer(f.session.redis(), f.keys, f.clock, "w1", LeaseFixture.LEASE, Duration.ZERO)
        .beat(Map.of(), List.of(lease));
    Map<String, Object> before = f.state();
    List<String> keys = new ArrayList<>(f.keys.attemptEnding("default"));
    keys.add(f.keys.task("default", task.id()));

    List<?> reaped =
        f.session
            .redis()
            .scripts()
            .evalList(
                LuaScript.REAP_EXPIRED,
                keys,
                List.of(f.clock.millis(), f.keys.schedulerChannel(), task.id().value(), 0.5));

    assertEquals(List.of(), reaped);
    assertEquals(before, f.state());
  }

  @Test
  void aLostAttemptsRetryWakesTheSchedulersForItsTime() throws Exception {
    try (WakeUps wakeUps = new WakeUps(f.session)) {
      f.clock.set(lease.expiresAt().plusMillis(1));

      f.reaper.reap("default", 10);

      assertEquals(List.of(Long.toString(f.clock.millis() + 500)), wakeUps.await(1));
    }
  }

  @Test
  void aTimeoutSetThatDisagreesWithTheHashIsMended() {
    long later = lease.expiresAt().toEpochMilli() + 10_000;
    f.client
        .getMap(f.keys.task("default", task.id()))
        .put("lease_expires_at", Long.toString(later));
    f.clock.set(lease.expiresAt().plusMillis(1));

    assertEquals(List.of(), f.reaper.reap("default", 10));

    assertEquals(Optional.of(Instant.ofEpochMilli(later)), f.reaper.nextExpiry("default"));
  }

  @Test
  void leftOversOfATaskNoLongerHeldAreCleanedUp() {
    f.client.getKeys().delete(f.keys.task("default", task.id()));
    f.clock.set(lease.expiresAt().plusMillis(1));

    assertEquals(List.of(), f.reaper.reap("default", 10));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.timeout("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertTrue(state.get(f.keys.scheduled("default")) == null);
  }
}
