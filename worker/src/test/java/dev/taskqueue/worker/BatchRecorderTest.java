package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptEnd;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * One batch of outcomes is out at a time, and what is handed over meanwhile goes in the next: the
 * slots never wait for Redis, and under load one round trip records every task that ended during
 * the one before. An outcome Redis does not answer is sent again until its deadline, then given up.
 * On a server of its own, whose command counts are this test's alone and which it stops.
 */
class BatchRecorderTest {
  private static final Duration PAUSE = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Pattern EVALSHA_CALLS = Pattern.compile("cmdstat_evalsha:calls=(\\d+)");

  private final Clock clock = Clock.systemUTC();
  private final TaskIdGenerator ids = new TaskIdGenerator(clock);
  private final Queue<Ending> endings = new ConcurrentLinkedQueue<>();
  private final Queue<RuntimeException> unrecorded = new ConcurrentLinkedQueue<>();
  private RedisServer server;
  private RedissonClient client;
  private BatchRecorder recorder;

  @BeforeEach
  void setUp() {
    server = RedisServer.startEphemeral();
    // Its own client, whose commands give up after TIMEOUT rather than the tests' usual 10 s.
    client =
        RedisConnector.connect(RedisUrl.parse(server.url()), "batch-recorder-test", 4, TIMEOUT);
    RedisSession session = new RedisSession(new Redis(client), new Keys("batches"));
    recorder =
        new BatchRecorder(new AttemptRecorder(session.redis(), session.keys(), clock), clock);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void outcomesHandedOverWhileOneIsInRedisGoTogetherOnceItIsAnswered() throws Exception {
    CountDownLatch first = new CountDownLatch(1);
    record(completed(), first);
    assertTrue(first.await(10, TimeUnit.SECONDS), "the script loaded by a first outcome");
    CountDownLatch told = new CountDownLatch(11);
    long before = evalshaCalls();

    pauseWrites();
    long start = System.nanoTime();
    for (int i = 0; i < 11; i++) {
      record(completed(), told);
    }
    long handing = System.nanoTime() - start;

    assertTrue(handing < PAUSE.toNanos() / 2, "no slot waits for Redis: " + handing + " ns");
    assertTrue(told.await(10, TimeUnit.SECONDS), "each outcome's owner told");
    assertEquals(2, evalshaCalls() - before, "the first alone, the ten after it in one batch");
    assertEquals(List.of(), List.copyOf(unrecorded));
    assertEquals(12, endings.size());
    endings.forEach(ending -> assertEquals(AttemptEnd.TASK_GONE, ending.result()));
  }

  @Test
  void closingWaitsForEveryOutcomeHandedOverAndAnOutcomeAfterIsSentByItsSlot() throws Exception {
    CountDownLatch told = new CountDownLatch(6);
    pauseWrites();
    for (int i = 0; i < 5; i++) {
      record(completed(), told);
    }

    recorder.close();

    assertEquals(1, told.getCount(), "the five handed over before closing were answered");
    record(completed(), told);
    assertEquals(
        0, told.getCount(), "one handed over after closing answered before record returns");
  }

  @Test
  void anOutcomeRedisDidNotAnswerIsSentAgainUntilRedisIsBack() throws Exception {
    CountDownLatch told = new CountDownLatch(1);
    server.stop();
    record(completed(), told);
    Thread.sleep(TIMEOUT.toMillis() * 3);
    assertEquals(1, told.getCount(), "not told while Redis is away");

    server.start();

    assertTrue(told.await(20, TimeUnit.SECONDS), "recorded once Redis is back");
    assertEquals(List.of(), List.copyOf(unrecorded));
    assertEquals(AttemptEnd.TASK_GONE, endings.remove().result());
  }

  @Test
  void anOutcomeWhoseDeadlinePassesWhileRedisIsAwayIsGivenUp() throws Exception {
    CountDownLatch told = new CountDownLatch(1);
    server.stop();

    record(completed(), Instant.now().plus(TIMEOUT), told);

    assertTrue(told.await(20, TimeUnit.SECONDS), "its owner told");
    assertEquals(List.of(), List.copyOf(endings));
    assertTrue(
        unrecorded.remove() instanceof RedisUnavailableException,
        "given up as Redis being away, not as a bug");
  }

  private void record(AttemptOutcome outcome, CountDownLatch told) {
    record(outcome, Instant.now().plusSeconds(30), told);
  }

  private void record(AttemptOutcome outcome, Instant deadline, CountDownLatch told) {
    recorder.record(
        outcome,
        () -> deadline,
        new BatchRecorder.Then() {
          @Override
          public void recorded(Ending ending) {
            endings.add(ending);
            told.countDown();
          }

          @Override
          public void unrecorded(RuntimeException why) {
            unrecorded.add(why);
            told.countDown();
          }
        });
  }

  /** A completed attempt of a task Redis does not hold: it is answered, as no such task. */
  private AttemptOutcome completed() {
    Lease lease = new Lease(ids.next(), "default", "w1", 1, Instant.now().plusSeconds(30));
    return AttemptOutcome.completed(
        lease, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
  }

  private void pauseWrites() throws IOException {
    try (Resp resp = Resp.connect(server.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "WRITE"));
    }
  }

  private long evalshaCalls() throws IOException {
    try (Resp resp = Resp.connect(server.port())) {
      Matcher calls = EVALSHA_CALLS.matcher(String.valueOf(resp.send("INFO", "commandstats")));
      return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
  }
}
