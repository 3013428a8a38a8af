package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Claimer.Standing;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * stand_by.lua, and enqueue.lua handing new tasks to a worker standing by, through {@link Claimer}
 * and {@link dev.taskqueue.queue.TaskEnqueuer}: a task handed over is leased as a claim would lease
 * it, and reaches the worker with no claim.
 */
@ExtendWith(RedisExtension.class)
class StandByTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private LeaseFixture f;
  private Claimer worker;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    worker = f.claimer("w1");
  }

  @Test
  void aTaskSubmittedWhileAWorkerStandsByIsLeasedToItAndHandedOver() {
    NewTask task = standByAndHand();

    List<Claimed> handed = popHandoffs();
    assertEquals(1, handed.size());
    Claimed.Ready ready = (Claimed.Ready) handed.get(0);
    assertEquals(task.id(), ready.task().id());
    assertEquals(task.payload(), ready.task().payload());
    assertEquals("w1", ready.lease().workerId());
    assertEquals(1, ready.lease().token());
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("in_progress", hash.get("stage"));
    assertEquals("w1", hash.get("worker_id"));
    assertEquals(LeaseFixture.host("w1"), hash.get("worker_host"));
    assertEquals("1", hash.get("attempts"));
    assertEquals("1", hash.get("lease_token"));
    assertEquals(task.id().value(), ((List<?>) f.state().get(f.keys.processing("default"))).get(0));
    assertTrue(f.client.getScoredSortedSet(f.keys.timeout("default")).contains(task.id().value()));
    assertNull(f.state().get(f.keys.pending("default")), "not pending");
    assertNull(f.state().get(f.keys.marker("default")), "no marker: no claim to make");
  }

  @Test
  void aClientHandsOverOnlyOnceAReplyHasNamedTheWorkerStandingBy() {
    assertEquals(Standing.STANDING, worker.standBy("default", 2, WAIT));
    NewTask first = f.tasks.greeter("{}");
    f.enqueuer.enqueue(first);

    assertEquals(List.of(first.id().value()), f.state().get(f.keys.pending("default")));
    assertEquals(1, worker.claim("default", 1).size());
    assertEquals(Standing.STANDING, worker.standBy("default", 2, WAIT));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    assertEquals(1, popHandoffs().size());
  }

  @Test
  void nothingIsHandedOverWhileTasksWaitInPendingOrTheQueueIsPaused() {
    standByAndHand();
    popHandoffs();
    assertEquals(Standing.STANDING, worker.standBy("default", 5, WAIT));
    NewTask older = f.tasks.greeter("{}");
    // Staged: a task pending that the worker has not taken yet.
    f.client.getList(f.keys.pending("default")).add(older.id().value());
    NewTask newer = f.tasks.greeter("{}");
    f.enqueuer.enqueue(newer);

    assertEquals(0, handoffCount(), "behind a pending task: to pending");
    f.client.getList(f.keys.pending("default")).remove(older.id().value());
    f.client.getList(f.keys.pending("default")).remove(newer.id().value());
    f.client.getBucket(f.keys.paused("default")).set("1");
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    assertEquals(0, handoffCount(), "paused: to pending");
  }

  @Test
  void aBatchHandsOverAsManyAsTheRoomTakesOldestFirstAndTheRestWaitsInPending() {
    standByAndHand();
    popHandoffs();
    assertEquals(Standing.STANDING, worker.standBy("default", 2, WAIT));
    List<NewTask> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(f.tasks.greeter("{\"n\":" + i + "}"));
    }
    f.enqueuer.enqueueAll("default", batch);

    List<Claimed> handed = popHandoffs();
    assertEquals(
        List.of(batch.get(0).id(), batch.get(1).id()),
        handed.stream().map(c -> c.lease().taskId()).toList());
    assertEquals(List.of(batch.get(2).id().value()), f.state().get(f.keys.pending("default")));
    assertFalse(f.client.getMap(f.keys.standing("default")).isExists(), "its room used: no longer");
  }

  @Test
  void aStandingRunsOutAtItsTime() {
    standByAndHand();
    popHandoffs();
    assertEquals(Standing.STANDING, worker.standBy("default", 2, Duration.ZERO));
    f.clock.advance(Duration.ofMillis(5));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    assertEquals(0, handoffCount());
    assertFalse(f.client.getMap(f.keys.standing("default")).isExists());
  }

  @Test
  void aWorkerToldOfPendingTasksOrOfHandOffsWaitingClaimsOrPopsThemInstead() {
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    assertEquals(Standing.PENDING, worker.standBy("default", 2, WAIT));
    assertEquals(1, worker.claim("default", 1).size());
    standByAndHand();

    assertEquals(Standing.HANDED, worker.standBy("default", 2, WAIT));
  }

  @Test
  void aClaimEndsTheStandingAndTakesNothingWhileHandOffsWait() {
    NewTask handed = standByAndHand();
    NewTask pending = f.tasks.greeter("{}");
    f.client.getList(f.keys.pending("default")).add(pending.id().value());
    worker.woken("default", java.util.Optional.of(pending.id().value()));

    assertEquals(List.of(), worker.claim("default", 1), "the hand-off first");
    assertFalse(f.client.getMap(f.keys.standing("default")).isExists());
    assertEquals(1, handoffCount());
    // The record still names what was handed over.
    assertTrue(record().contains(handed.id().value() + ":1"), record());
  }

  @Test
  void standingDownReturnsWhatWasHandedAndNotPopped() {
    NewTask handed = standByAndHand();

    List<Claimed> back = worker.standDown("default");

    assertEquals(List.of(handed.id()), back.stream().map(c -> c.lease().taskId()).toList());
    assertEquals(0, handoffCount());
    assertFalse(f.client.getMap(f.keys.standing("default")).isExists());
  }

  @Test
  void aHandOffWhosePopLostItsReplyIsClaimedAgainFromTheRecord() {
    NewTask handed = standByAndHand();
    // The pop ran in Redis; its reply never came.
    f.client.getScoredSortedSet(worker.handoffKey("default")).pollFirst();

    List<Claimed> again = worker.handedAgain("default");

    assertEquals(List.of(handed.id()), again.stream().map(c -> c.lease().taskId()).toList());
    assertEquals(1, again.get(0).lease().token());
  }

  @Test
  void anOfferStandsWhileItHasRoomAndTimeForTheWaitAndAClaimEndsIt() {
    assertFalse(worker.standsBy("default", 3, Duration.ZERO), "no offer made yet");
    standByAndHand();
    // Offered room for 3 for WAIT: one handed over when popped, two left.
    popHandoffs();

    assertTrue(worker.standsBy("default", 3, WAIT.minusSeconds(1)));
    assertTrue(worker.standsBy("default", 4, WAIT.minusSeconds(1)), "2 is half the room of 4");
    assertFalse(worker.standsBy("default", 3, WAIT.plusSeconds(1)), "runs out in the wait");
    assertFalse(worker.standsBy("default", 1, Duration.ZERO), "more room than the worker has");
    assertFalse(worker.standsBy("default", 5, Duration.ZERO), "less than half its room");
    assertFalse(worker.standsBy("other", 3, Duration.ZERO), "another queue");

    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    assertEquals(2, popHandoffs().size());
    assertFalse(worker.standsBy("default", 1, Duration.ZERO), "its room used up");

    assertEquals(Standing.STANDING, worker.standBy("default", 3, WAIT));
    // A marker woke it, naming a task: it claims that one (gone by now) without reading pending.
    worker.woken("default", Optional.of("gone"));
    assertEquals(List.of(), worker.claim("default", 1));
    assertFalse(worker.standsBy("default", 3, Duration.ZERO), "a claim withdraws it");
    assertFalse(f.client.getMap(f.keys.standing("default")).isExists(), "in Redis too");
  }

  /** Makes {@link #worker} stand by and the enqueuer know it; hands it one task, returned. */
  private NewTask standByAndHand() {
    if (worker.standBy("default", 3, WAIT) == Standing.STANDING) {
      // The enqueuer learns of the worker from a reply: one submit to another queue... or this one.
      f.enqueuer.enqueue(f.tasks.greeter("{}"));
      worker.claim("default", 1);
      assertEquals(Standing.STANDING, worker.standBy("default", 3, WAIT));
    }
    NewTask task = f.tasks.greeter("{\"handed\":true}");
    f.enqueuer.enqueue(task);
    return task;
  }

  private List<Claimed> popHandoffs() {
    List<Claimed> tasks = new ArrayList<>();
    var set =
        f.client.<byte[]>getScoredSortedSet(worker.handoffKey("default"), ByteArrayCodec.INSTANCE);
    for (byte[] handoff = set.pollFirst(); handoff != null; handoff = set.pollFirst()) {
      tasks.addAll(worker.handed("default", handoff));
    }
    return tasks;
  }

  private int handoffCount() {
    return f.client.getScoredSortedSet(worker.handoffKey("default")).size();
  }

  private String record() {
    for (Map.Entry<String, Object> key : f.state().entrySet()) {
      if (key.getKey().contains("}:claim:")) {
        return String.valueOf(key.getValue());
      }
    }
    return "";
  }
}
