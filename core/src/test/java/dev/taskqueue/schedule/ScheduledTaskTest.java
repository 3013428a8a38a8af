package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskqueue.queue.TaskCanceller;
import dev.taskqueue.queue.TaskCanceller.Cancel;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** enqueue.lua with a run-at time, its promotion when due, and cancel.lua. */
@ExtendWith(RedisExtension.class)
class ScheduledTaskTest {
  private LeaseFixture f;
  private TaskCanceller canceller;
  private DuePromoter promoter;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    canceller = new TaskCanceller(f.session.redis(), f.keys, f.clock);
    promoter = new DuePromoter(f.session.redis(), f.keys, f.clock);
  }

  private NewTask later(Duration in) {
    NewTask now = f.tasks.greeter("{}");
    return new NewTask(
        now.id(),
        now.queue(),
        now.name(),
        now.moduleDigest(),
        now.moduleVersion(),
        now.kind(),
        now.payload(),
        now.maxRetries(),
        now.retryBackoff(),
        now.timeout(),
        now.createdAt(),
        Optional.of(f.clock.instant().plus(in)));
  }

  @Test
  void aBurstLargerThanOneTripIsPromotedWholeEachTaskOnce() {
    int batch = 3;
    int burst = batch + batch * DuePromoter.BATCHES_PER_TRIP * 2 + 5; // four trips, the last short
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      NewTask task = later(Duration.ofSeconds(10 + i % 7));
      f.enqueuer.enqueue(task);
      ids.add(task.id().value());
    }
    f.clock.set(f.clock.instant().plus(Duration.ofMinutes(1)));

    assertEquals(burst, promoter.promoteAll("default", batch));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.scheduled("default")));
    List<?> pending = (List<?>) state.get(f.keys.pending("default"));
    assertEquals(burst, pending.size());
    assertEquals(new HashSet<>(ids), new HashSet<>(pending), "each once");
    for (String id : ids) {
      assertEquals("pending", f.hash(f.keys.task("default", id)).get("stage"));
    }
    assertEquals(0, promoter.promoteAll("default", batch));
  }

  @Test
  void aTaskForLaterWaitsInScheduledUntilItIsDue() {
    NewTask task = later(Duration.ofMinutes(10));
    Instant runAt = task.runAt().orElseThrow();

    f.enqueuer.enqueue(task);

    Map<String, Object> state = f.state();
    assertEquals(
        Map.of(task.id().value(), (double) runAt.toEpochMilli()),
        state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.marker("default")), "no worker wakes for it");
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")), "open");
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("scheduled", hash.get("stage"));
    assertEquals(Long.toString(runAt.toEpochMilli()), hash.get("run_at"));

    f.clock.set(runAt.minusMillis(1));
    assertEquals(0, promoter.promote("default", 10));
    f.clock.set(runAt);
    assertEquals(1, promoter.promote("default", 10));
    assertEquals(List.of(task.id().value()), f.state().get(f.keys.pending("default")));
    assertEquals("pending", f.hash(f.keys.task("default", task.id())).get("stage"));
    assertEquals(
        Long.toString(runAt.toEpochMilli()),
        f.hash(f.keys.task("default", task.id())).get("run_at"),
        "it keeps the time it was due");
  }

  @Test
  void cancelTakesAPendingOrScheduledTaskOutAndKeepsIt() {
    NewTask pending = f.tasks.greeter("{}");
    NewTask scheduled = later(Duration.ofHours(1));
    f.enqueuer.enqueue(pending);
    f.enqueuer.enqueue(scheduled);

    assertEquals(Cancel.CANCELLED, canceller.cancel("default", pending.id()));
    assertEquals(Cancel.CANCELLED, canceller.cancel("default", scheduled.id()));
    assertEquals(Cancel.ALREADY_CANCELLED, canceller.cancel("default", scheduled.id()));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.open("default")), "nothing open");
    assertEquals(
        List.of(scheduled.id().value(), pending.id().value()),
        state.get(f.keys.finished("default")));
    Map<String, String> hash = f.hash(f.keys.task("default", scheduled.id()));
    assertEquals("cancelled", hash.get("stage"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("finished_at"));
    assertNull(hash.get("run_at"));
  }

  @Test
  void aRunningOrEndedTaskCannotBeCancelled() {
    NewTask task = f.tasks.greeter("{}");
    f.enqueueAndClaim(task);
    Map<String, Object> before = f.state();

    assertEquals(Cancel.RUNNING, canceller.cancel("default", task.id()));
    assertEquals(Cancel.NO_SUCH_TASK, canceller.cancel("default", f.tasks.greeter("{}").id()));
    assertEquals(before, f.state());
  }
}
