package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pause_queue.lua through {@link QueuePauses}, and what a {@link Claimer} makes of a pause. */
@ExtendWith(RedisExtension.class)
class QueuePausesTest {
  private LeaseFixture f;
  private QueuePauses pauses;
  private NewTask first;
  private NewTask second;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    pauses = new QueuePauses(f.session.redis(), f.keys, f.clock);
    first = f.tasks.greeter("{}");
    second = f.tasks.greeter("{}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(second);
  }

  @Test
  void aPausedQueueGivesNothingToClaimAndTakesItsMarkerAway() {
    assertTrue(pauses.pause("default"));
    Claimer claimer = f.claimer("w1");

    assertEquals(List.of(), claimer.claim("default", 5));

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(second.id().value(), first.id().value()),
        state.get(f.keys.pending("default")),
        "both still pending");
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.marker("default")), "idle workers do not wake for it");
    assertEquals(Set.of("default"), claimer.pausedQueues());
  }

  @Test
  void aClaimerAsksAgainOnlyAfterTheRecheckTimeAndThenClaims() {
    pauses.pause("default");
    Claimer claimer = f.claimer("w1");
    claimer.claim("default", 5);
    assertTrue(pauses.resume("default"));
    assertEquals(
        Map.of(first.id().value(), 0.0),
        f.state().get(f.keys.marker("default")),
        "the marker set again, naming the task at the front");

    assertEquals(List.of(), claimer.claim("default", 5), "not asked again yet");

    f.clock.advance(Claimer.PAUSE_RECHECK);
    assertEquals(Set.of(), claimer.pausedQueues());
    List<Claimed> claimed = claimer.claim("default", 5);
    assertEquals(
        List.of(first.id(), second.id()), claimed.stream().map(c -> c.lease().taskId()).toList());
  }

  @Test
  void runningTasksStayLeasedAndCanEndWhilePaused() {
    Claimed running = f.claim("default", "w1", 1).get(0);
    pauses.pause("default");

    f.recorder.release(running.lease());

    assertEquals(
        List.of(second.id().value(), first.id().value()),
        f.state().get(f.keys.pending("default")),
        "released to the front, to run after the resume");
  }

  @Test
  void pausingTwiceOrResumingARunningQueueChangesNothing() {
    assertFalse(pauses.resume("default"));
    assertTrue(pauses.pause("default"));
    Map<String, Object> paused = f.state();

    assertFalse(pauses.pause("default"));

    assertEquals(paused, f.state());
  }

  @Test
  void readsWhichQueuesArePausedAndSinceWhen() {
    f.enqueuer.enqueue(f.tasks.task("emails", "greeter", "{}"));
    pauses.pause("default");
    f.clock.advance(Duration.ofSeconds(3));

    assertEquals(
        Map.of("default", f.clock.instant().minusSeconds(3)),
        pauses.pausedSince(List.of("default", "emails")));
  }

  @Test
  void anUnknownQueueIsRefusedNamingTheKnownOnes() {
    NotFoundException e = assertThrows(NotFoundException.class, () -> pauses.pause("defualt"));

    assertEquals(
        "no queue named 'defualt': the queues are default; a queue appears with its first task",
        e.getMessage());
    assertNull(f.state().get(f.keys.paused("defualt")));
  }
}
