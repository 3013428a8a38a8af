package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * heartbeat.lua, renew_leases.lua and remove_workers.lua, through {@link LeaseRenewer} and {@link
 * Heartbeats}: one round trip records the worker and renews every lease it holds.
 */
@ExtendWith(RedisExtension.class)
class HeartbeatTest {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private LeaseFixture f;
  private LeaseRenewer renewer;
  private Heartbeats heartbeats;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    renewer = new LeaseRenewer(f.session.redis(), f.keys, f.clock, "w1", LeaseFixture.LEASE, GRACE);
    heartbeats = new Heartbeats(f.session.redis(), f.keys, f.clock);
  }

  @Test
  void aBeatRecordsTheWorkerAndRenewsEveryLeaseInEveryQueue() {
    NewTask a = f.tasks.greeter("{}");
    NewTask b = f.tasks.task("emails", "greeter", "{}");
    Lease first = f.enqueueAndClaim(a).lease();
    Lease second = f.enqueueAndClaim(b).lease();
    f.clock.advance(Duration.ofSeconds(3));

    List<Renewal> renewals =
        renewer.beat(Map.of("host", "box", "busy", "2"), List.of(first, second));

    Instant until = f.clock.instant().plus(LeaseFixture.LEASE);
    assertEquals(
        List.of(
            new Renewal(first, Optional.of(until), Optional.empty()),
            new Renewal(second, Optional.of(until), Optional.empty())),
        renewals);
    Map<String, Object> state = f.state();
    double score = until.toEpochMilli();
    assertEquals(Map.of(a.id().value(), score), state.get(f.keys.timeout("default")));
    assertEquals(Map.of(b.id().value(), score), state.get(f.keys.timeout("emails")));
    assertEquals(
        Long.toString(until.toEpochMilli()),
        f.hash(f.keys.task("default", a.id())).get("lease_expires_at"));
    assertEquals(Map.of("w1", score), state.get(f.keys.workers()));
    assertEquals(
        Map.of("host", "box", "busy", "2", "expires_at", Long.toString(until.toEpochMilli())),
        state.get(f.keys.worker("w1")));
    long ttl = f.client.getKeys().remainTimeToLive(f.keys.worker("w1"));
    assertTrue(ttl > 0, "the record expires by itself if no reaper removes it");
  }

  @Test
  void aLeaseIsNeverRenewedPastItsAttemptsTimeoutAndGrace() {
    Claimed.Ready claimed = f.enqueueAndClaim(f.tasks.greeter("{}"));
    Instant deadline =
        claimed.task().startedAt().orElseThrow().plus(claimed.task().timeout()).plus(GRACE);
    Lease lease = claimed.lease();
    // Beat every 3 s past the deadline: the expiry stops at it.
    while (f.clock.instant().isBefore(deadline)) {
      f.clock.advance(Duration.ofSeconds(3));
      Renewal renewal = renewer.beat(Map.of(), List.of(lease)).get(0);
      if (renewal.until().isEmpty()) {
        break;
      }
      lease =
          new Lease(
              lease.taskId(),
              lease.queue(),
              lease.workerId(),
              lease.token(),
              renewal.until().get());
    }

    assertEquals(deadline, lease.expiresAt(), "a stuck attempt is left for the reaper");
  }

  @Test
  void aLostOrExpiredLeaseIsNotRenewed() {
    Lease held = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    Lease stale = new Lease(held.taskId(), "default", "w1", held.token() + 1, held.expiresAt());
    f.clock.set(held.expiresAt().plusMillis(1));
    Map<String, Object> before = f.state();
    before.remove(f.keys.workers());
    before.remove(f.keys.worker("w1"));

    List<Renewal> renewals = renewer.beat(Map.of(), List.of(held, stale));

    assertEquals(Optional.of(AttemptEnd.LEASE_EXPIRED), renewals.get(0).lost());
    assertEquals(Optional.of(AttemptEnd.LEASE_LOST), renewals.get(1).lost());
    Map<String, Object> after = f.state();
    after.remove(f.keys.workers());
    after.remove(f.keys.worker("w1"));
    assertEquals(before, after, "no lease changed");
  }

  @Test
  void aLeaseWhoseAttemptItsWorkerJustEndedIsNeitherRenewedNorCalledLost() {
    Lease held = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    f.recorder.complete(
        held, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
    Map<String, Object> before = f.state();
    before.remove(f.keys.workers());
    before.remove(f.keys.worker("w1"));

    Renewal renewal = renewer.beat(Map.of(), List.of(held)).get(0);

    assertEquals(Optional.empty(), renewal.until());
    assertEquals(Optional.of(AttemptEnd.ALREADY_RECORDED), renewal.lost());
    Map<String, Object> after = f.state();
    after.remove(f.keys.workers());
    after.remove(f.keys.worker("w1"));
    assertEquals(before, after, "nothing changed");
  }

  @Test
  void aLeaseTheReaperTookOverIsSaidToHaveExpired() {
    Lease held = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    f.clock.set(held.expiresAt().plusMillis(1));
    f.reaper.reap("default", 10);

    assertEquals(
        Optional.of(AttemptEnd.LEASE_EXPIRED), renewer.beat(Map.of(), List.of(held)).get(0).lost());
  }

  @Test
  void anotherWorkersLeaseIsNotRenewed() {
    Lease held = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    LeaseRenewer impostor =
        new LeaseRenewer(f.session.redis(), f.keys, f.clock, "w2", LeaseFixture.LEASE, GRACE);

    assertEquals(
        Optional.of(AttemptEnd.LEASE_LOST), impostor.beat(Map.of(), List.of(held)).get(0).lost());
  }

  @Test
  void deadWorkersAreForgottenAndTheLivingListed() {
    renewer.beat(Map.of("id", "w1"), List.of());
    f.clock.advance(Duration.ofSeconds(2));
    new LeaseRenewer(f.session.redis(), f.keys, f.clock, "w2", LeaseFixture.LEASE, GRACE)
        .beat(Map.of("id", "w2"), List.of());
    f.clock.advance(LeaseFixture.LEASE.minusSeconds(1));

    assertEquals(List.of("w2"), heartbeats.alive().stream().map(w -> w.get("id")).toList());
    assertEquals(1, heartbeats.removeDead(10));
    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.worker("w1")));
    assertEquals(List.of("w2"), List.copyOf(((Map<?, ?>) state.get(f.keys.workers())).keySet()));
    assertEquals(0, heartbeats.removeDead(10), "the living stay");
  }

  @Test
  void aWorkerStoppingSaysGoodbye() {
    renewer.beat(Map.of("id", "w1"), List.of());

    renewer.goodbye();

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.workers()));
    assertNull(state.get(f.keys.worker("w1")));
  }
}
