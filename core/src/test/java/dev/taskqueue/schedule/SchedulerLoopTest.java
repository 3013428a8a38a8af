package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scheduler's loop on the real clock: it sleeps until what is due, and wakes for sooner: a task
 * for later, or a retry.
 */
@ExtendWith(RedisExtension.class)
class SchedulerLoopTest {
  /** Far longer than the test waits: only a wake-up or a precise sleep can meet its deadlines. */
  private static final Duration MAX_SLEEP = Duration.ofSeconds(30);

  private RedisSession session;
  private TaskEnqueuer enqueuer;
  private SchedulerLoop loop;
  private Thread thread;
  private final Tasks tasks = new Tasks(Clock.systemUTC());

  @BeforeEach
  void setUp(TestRedis redis) throws InterruptedException {
    session = TestSessions.open(redis);
    enqueuer = new TaskEnqueuer(session.redis(), session.keys());
    enqueuer.registerQueue("default");
    loop = new SchedulerLoop(session, Clock.systemUTC(), MAX_SLEEP);
    thread = new Thread(loop, "scheduler");
    thread.start();
    Thread.sleep(300); // subscribed and asleep
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    loop.stop();
    thread.join();
  }

  @Test
  void aTaskScheduledSoonerThanTheLoopPlannedToWakeIsPromotedOnTime() throws Exception {
    Instant due = Instant.now().plusMillis(400);
    NewTask task = Tasks.at(tasks.greeter("{}"), due);

    enqueuer.enqueue(task);

    assertPromotedOnTime(task, due);
  }

  @Test
  void aRetryIsPromotedWhenItsBackoffEnds() throws Exception {
    Clock clock = Clock.systemUTC();
    NewTask task =
        Tasks.withRetries(
            tasks.greeter("{}"),
            1,
            new RetryBackoff(Duration.ofMillis(800), Duration.ofMillis(800)));
    enqueuer.enqueue(task);
    Claimed.Ready claimed =
        (Claimed.Ready)
            new Claimer(
                    session.redis(),
                    session.keys(),
                    clock,
                    "w1",
                    "w1.example",
                    Duration.ofMinutes(1))
                .claim("default", 1)
                .get(0);

    Instant retryAt =
        new AttemptRecorder(session.redis(), session.keys(), clock, () -> 0.5)
            .fail(claimed.lease(), "trap: unreachable", Optional.empty())
            .retryAt()
            .orElseThrow();

    assertPromotedOnTime(task, retryAt);
  }

  @Test
  void stopEndsTheLoopAtOnce() throws InterruptedException {
    long start = System.nanoTime();
    loop.stop();
    thread.join(5000);

    assertEquals(false, thread.isAlive());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(2)) < 0);
  }

  /** Waits for {@code task} in pending: promoted when {@code due}, within 250 ms, not before. */
  private void assertPromotedOnTime(NewTask task, Instant due) throws InterruptedException {
    Eventually.await(
        () -> session.redis().lrange(session.keys().pending("default"), 0, -1),
        pending -> pending.contains(task.id().value()),
        Duration.ofSeconds(5),
        "the task promoted");

    Duration late = Duration.between(due, Instant.now());
    assertTrue(!late.isNegative(), "not before it was due: " + late);
    assertTrue(late.compareTo(Duration.ofMillis(250)) < 0, "late by " + late);
  }
}
