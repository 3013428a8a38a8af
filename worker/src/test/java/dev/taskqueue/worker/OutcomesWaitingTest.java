package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The text of outcomes handed to the recorder and not yet in Redis is bounded ({@link
 * BatchRecorder#MAX_WAITING_CHARS}): a slot whose outcome would go past it waits until Redis has
 * taken what waits, so large results pile up in Redis, not in the worker's heap.
 */
@ExtendWith(RedisExtension.class)
class OutcomesWaitingTest {
  private static final Duration PAUSE = Duration.ofSeconds(1);
  private static final int HALF = (int) (BatchRecorder.MAX_WAITING_CHARS / 2);

  private final Clock clock = Clock.systemUTC();
  private final TaskIdGenerator ids = new TaskIdGenerator(clock);
  private TestRedis redis;
  private BatchRecorder recorder;

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    RedisSession session = TestSessions.open(redis);
    recorder =
        new BatchRecorder(new AttemptRecorder(session.redis(), session.keys(), clock), clock);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  @Test
  void aSlotWaitsWhileTheOutcomesBeforeItHoldTheirMostAndNotWhileOneHoldsAll() throws Exception {
    AttemptOutcome first = completed("a".repeat(HALF));
    AttemptOutcome second = completed("b".repeat(HALF));
    AttemptOutcome third = completed("c");
    CountDownLatch told = new CountDownLatch(3);
    long start = System.nanoTime();
    try (Resp resp = Resp.connect(redis.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "WRITE"));
    }

    // The first goes to Redis and waits there for the pause to end; the second fits beside it.
    record(first, told);
    record(second, told);
    long handedTwo = System.nanoTime() - start;
    record(third, told);
    long handedThree = System.nanoTime() - start;

    assertTrue(handedTwo < PAUSE.toNanos() / 2, "the first two at once: " + handedTwo + " ns");
    assertTrue(
        handedThree >= PAUSE.toNanos() * 9 / 10,
        "the third once Redis had taken the first: " + handedThree + " ns");
    assertTrue(told.await(10, TimeUnit.SECONDS), "each outcome's owner told");
  }

  private void record(AttemptOutcome outcome, CountDownLatch told) {
    recorder.record(
        outcome,
        () -> Instant.now().plusSeconds(30),
        new BatchRecorder.Then() {
          @Override
          public void recorded(Ending ending) {
            told.countDown();
          }

          @Override
          public void unrecorded(RuntimeException why) {
            told.countDown();
          }
        });
  }

  /** A completed attempt of a task Redis does not hold: it is answered, as no such task. */
  private AttemptOutcome completed(String result) {
    Lease lease = new Lease(ids.next(), "default", "w1", 1, Instant.now().plusSeconds(30));
    return AttemptOutcome.completed(
        lease, TaskResult.of(result.getBytes(StandardCharsets.UTF_8)), Optional.empty());
  }
}
