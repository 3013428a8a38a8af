package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** promote_due.lua, through {@link DuePromoter}: a retry whose backoff is over runs next. */
@ExtendWith(RedisExtension.class)
class PromoteDueTest {
  private LeaseFixture f;
  private DuePromoter promoter;
  private NewTask retried;
  private NewTask waiting;
  private Instant runAt;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    promoter = new DuePromoter(f.session.redis(), f.keys, f.clock);
    retried = f.tasks.greeter("{}");
    Lease lease = f.enqueueAndClaim(retried).lease();
    runAt = f.recorder.fail(lease, "boom", Optional.empty()).retryAt().orElseThrow();
    waiting = f.tasks.greeter("{}");
    f.enqueuer.enqueue(waiting);
    f.client.getScoredSortedSet(f.keys.marker("default")).clear();
  }

  @Test
  void nothingIsPromotedBeforeItsTime() {
    f.clock.set(runAt.minusMillis(1));
    Map<String, Object> before = f.state();

    assertEquals(0, promoter.promote("default", 10));

    assertEquals(before, f.state());
    assertEquals(Optional.of(runAt), promoter.nextDue("default"));
  }

  @Test
  void aDueRetryGoesToTheFrontOfPendingAndWakesAWorker() {
    f.clock.set(runAt);

    assertEquals(1, promoter.promote("default", 10));

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(waiting.id().value(), retried.id().value()),
        state.get(f.keys.pending("default")),
        "at the right end, taken before newer work");
    assertNull(state.get(f.keys.scheduled("default")));
    assertEquals(
        Map.of(retried.id().value(), 0.0),
        state.get(f.keys.marker("default")),
        "the marker names the task now at the front, for a woken worker to claim at once");
    Map<String, String> hash = f.hash(f.keys.task("default", retried.id()));
    assertEquals("pending", hash.get("stage"));
    assertNull(hash.get("run_at"));
    assertEquals(Optional.empty(), promoter.nextDue("default"));
    assertEquals(retried.id(), f.claimOne("default", "w2").task().id());
  }

  @Test
  void twoPromotersPromoteEachTaskOnce() {
    f.clock.set(runAt.plus(Duration.ofSeconds(1)));
    DuePromoter other = new DuePromoter(f.session.redis(), f.keys, f.clock);

    assertEquals(1, promoter.promote("default", 10));
    assertEquals(0, other.promote("default", 10));

    assertEquals(2, ((List<?>) f.state().get(f.keys.pending("default"))).size());
  }

  @Test
  void aScheduledIdWhoseTaskIsGoneIsDropped() {
    f.client.getKeys().delete(f.keys.task("default", retried.id()));
    f.clock.set(runAt);

    assertEquals(0, promoter.promote("default", 10));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.scheduled("default")));
    assertEquals(List.of(waiting.id().value()), state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.marker("default")), "nothing new to wake for");
  }
}
