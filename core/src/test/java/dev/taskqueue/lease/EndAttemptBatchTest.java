package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * end_attempt.lua ending a batch of attempts in one call ({@link AttemptRecorder#endAll}): every
 * attempt judged on its own, the queue's lists and sets written once for all, and attempts of two
 * queues in one round trip.
 */
@ExtendWith(RedisExtension.class)
class EndAttemptBatchTest {
  private static final TaskResult OK = TaskResult.of("ok".getBytes(StandardCharsets.UTF_8));

  private LeaseFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
  }

  @Test
  void eachAttemptOfABatchEndsByTheRuleAsIfSentAlone() {
    NewTask done = f.tasks.greeter("{}");
    NewTask retried = Tasks.withRetries(f.tasks.greeter("{}"), 3, Tasks.BACKOFF);
    NewTask dead = Tasks.withRetries(f.tasks.greeter("{}"), 0, Tasks.BACKOFF);
    NewTask released = f.tasks.greeter("{}");
    for (NewTask task : List.of(done, retried, dead, released)) {
      f.enqueuer.enqueue(task);
    }
    List<Claimed> claimed = f.claim("default", "w1", 4);
    f.clock.advance(Duration.ofMillis(100));

    List<Ending> endings =
        f.recorder.endAll(
            List.of(
                AttemptOutcome.completed(lease(claimed, done), OK, Optional.of("/l/1.log")),
                AttemptOutcome.failed(lease(claimed, retried), "boom", Optional.empty()),
                AttemptOutcome.failed(lease(claimed, dead), "boom", Optional.empty()),
                AttemptOutcome.released(lease(claimed, released))));

    long runAt = f.clock.millis() + 500; // the first retry: half the 1 s base, at jitter 0.5
    assertEquals(
        List.of(
            new Ending(AttemptEnd.RECORDED, Optional.of(Stage.COMPLETED), Optional.empty()),
            new Ending(
                AttemptEnd.RECORDED,
                Optional.of(Stage.RETRYING),
                Optional.of(Instant.ofEpochMilli(runAt))),
            new Ending(AttemptEnd.RECORDED, Optional.of(Stage.DEAD), Optional.empty()),
            new Ending(AttemptEnd.RECORDED, Optional.of(Stage.PENDING), Optional.empty())),
        endings);
    Map<String, Object> state = f.state();
    assertEquals(List.of(done.id().value()), state.get(f.keys.finished("default")));
    assertEquals(List.of(dead.id().value()), state.get(f.keys.dlq("default")));
    assertEquals(List.of(released.id().value()), state.get(f.keys.pending("default")));
    assertEquals(
        Map.of(retried.id().value(), (double) runAt), state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.processing("default")));
    assertNull(state.get(f.keys.timeout("default")));
    assertEquals(Map.of("greeter", "2"), state.get(f.keys.open("default")), "retrying and pending");
    assertEquals("/l/1.log", f.hash(f.keys.task("default", done.id())).get("log_path"));
    assertEquals("ok", f.hash(f.keys.task("default", done.id())).get("result"));
  }

  @Test
  void aLostLeaseInABatchIsReportedAndTheOthersAreStillEnded() {
    NewTask first = f.tasks.greeter("{}");
    NewTask second = f.tasks.greeter("{}");
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(second);
    List<Claimed> claimed = f.claim("default", "w1", 2);
    Lease stale =
        new Lease(second.id(), "default", "w1", lease(claimed, second).token() + 1, Instant.MAX);

    List<Ending> endings =
        f.recorder.endAll(
            List.of(
                AttemptOutcome.completed(lease(claimed, first), OK, Optional.empty()),
                AttemptOutcome.completed(stale, OK, Optional.empty())));

    assertEquals(AttemptEnd.RECORDED, endings.get(0).result());
    assertEquals(AttemptEnd.LEASE_LOST, endings.get(1).result());
    Map<String, Object> state = f.state();
    assertEquals(List.of(first.id().value()), state.get(f.keys.finished("default")));
    assertEquals(List.of(second.id().value()), state.get(f.keys.processing("default")));
    assertEquals("in_progress", f.hash(f.keys.task("default", second.id())).get("stage"));
  }

  @Test
  void aRepeatInTheSameBatchFindsTheAttemptAlreadyEnded() {
    Lease lease = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    AttemptOutcome completed = AttemptOutcome.completed(lease, OK, Optional.empty());

    List<Ending> endings = f.recorder.endAll(List.of(completed, completed));

    assertEquals(
        List.of(AttemptEnd.RECORDED, AttemptEnd.ALREADY_RECORDED),
        endings.stream().map(Ending::result).toList());
    assertEquals(1, ((List<?>) f.state().get(f.keys.finished("default"))).size());
  }

  @Test
  void attemptsOfTwoQueuesEndInOneRoundTripEachInItsOwnQueue() {
    NewTask fast = f.tasks.task("fast", "greeter", "{}");
    NewTask slow = Tasks.withRetries(f.tasks.task("slow", "greeter", "{}"), 0, Tasks.BACKOFF);
    NewTask fastToo = f.tasks.task("fast", "greeter", "{}");
    Lease fastLease = f.enqueueAndClaim(fast).lease();
    Lease slowLease = f.enqueueAndClaim(slow).lease();
    Lease fastTooLease = f.enqueueAndClaim(fastToo).lease();

    List<Ending> endings =
        f.recorder.endAll(
            List.of(
                AttemptOutcome.completed(fastLease, OK, Optional.empty()),
                AttemptOutcome.failed(slowLease, "no", Optional.empty()),
                AttemptOutcome.completed(fastTooLease, OK, Optional.empty())));

    assertEquals(
        List.of(Stage.COMPLETED, Stage.DEAD, Stage.COMPLETED),
        endings.stream().map(e -> e.stage().orElseThrow()).toList());
    Map<String, Object> state = f.state();
    assertEquals(
        Set.of(fast.id().value(), fastToo.id().value()),
        ((List<?>) state.get(f.keys.finished("fast")))
            .stream().map(String::valueOf).collect(Collectors.toSet()));
    assertEquals(List.of(slow.id().value()), state.get(f.keys.dlq("slow")));
    assertNull(state.get(f.keys.finished("slow")));
  }

  /** A batch is one worker's: another's lease in it is a bug, found before anything is sent. */
  @Test
  void aBatchOfTwoWorkersIsRefusedAndNothingIsEnded() {
    Lease mine = f.enqueueAndClaim(f.tasks.greeter("{}")).lease();
    Lease theirs = new Lease(mine.taskId(), mine.queue(), "w2", mine.token(), mine.expiresAt());
    Map<String, Object> before = f.state();

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                f.recorder.endAll(
                    List.of(
                        AttemptOutcome.completed(mine, OK, Optional.empty()),
                        AttemptOutcome.released(theirs))));

    assertEquals("bug: one batch of endings for two workers", e.getMessage());
    assertEquals(before, f.state());
  }

  private static Lease lease(List<Claimed> claimed, NewTask task) {
    return claimed.stream()
        .map(Claimed::lease)
        .filter(lease -> lease.taskId().equals(task.id()))
        .findFirst()
        .orElseThrow();
  }
}
