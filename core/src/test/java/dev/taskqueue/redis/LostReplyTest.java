package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.TaskSubmitter;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * Issue 12, item 2: Redis stops accepting writes for a while ({@code CLIENT PAUSE WRITE}, what a
 * failover looks like), longer than the command timeout. Every copy of a request sent meanwhile
 * runs once the pause ends, its reply long gone. Nothing may be orphaned, doubled or misreported.
 */
class LostReplyTest {
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private final Clock clock = Clock.systemUTC();
  private final Keys keys = new Keys("paused");
  private final Tasks tasks = new Tasks(clock);
  private RedisServer server;
  private RedissonClient client;
  private Redis redis;
  private TaskEnqueuer enqueuer;

  @BeforeEach
  void setUp() {
    server = RedisServer.startEphemeral();
    client = RedisConnector.connect(RedisUrl.parse(server.url()), "test", 8, TIMEOUT);
    redis = new Redis(client);
    enqueuer = new TaskEnqueuer(redis, keys);
  }

  @AfterEach
  void tearDown() {
    redis.close();
    server.close();
  }

  @Test
  void aClaimWhoseReplyIsLostLeasesExactlyWhatTheWorkerIsFinallyTold() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      NewTask task = tasks.greeter("{}");
      enqueuer.enqueue(task);
      ids.add(task.id().value());
    }
    Claimer claimer = new Claimer(redis, keys, clock, "w1", "host-1", Duration.ofSeconds(10));

    pauseWrites();
    assertThrows(RedisUnavailableException.class, () -> claimer.claim("default", 2));
    List<Claimed> claimed = answered(() -> claimer.resendUnanswered(2));

    List<String> told = claimed.stream().map(c -> c.lease().taskId().value()).toList();
    assertEquals(ids.subList(0, 2), told, "the two oldest");
    Map<String, Object> state = RedisState.of(client, keys.prefix());
    assertEquals(List.of(ids.get(1), ids.get(0)), state.get(keys.processing("default")));
    assertEquals(Set.copyOf(told), ((Map<?, ?>) state.get(keys.timeout("default"))).keySet());
    assertEquals(List.of(ids.get(3), ids.get(2)), state.get(keys.pending("default")));
    for (String id : told) {
      Map<?, ?> hash = (Map<?, ?>) state.get(keys.task("default", id));
      assertEquals("1", hash.get("lease_token"), "claimed once: " + hash);
      assertEquals("1", hash.get("attempts"));
    }
  }

  /** The claim a worker sends from its event loop on a wake-up, lost alike: sent again, told. */
  @Test
  void anAsyncClaimWhoseReplyIsLostStaysUnansweredUntilSentAgain() throws Exception {
    NewTask task = tasks.greeter("{}");
    enqueuer.enqueue(task);
    Claimer claimer = new Claimer(redis, keys, clock, "w1", "host-1", Duration.ofSeconds(10));
    claimer.woken("default", Optional.of(task.id().value()));

    pauseWrites();
    CompletableFuture<List<Claimed>> claim = claimer.claimAsync("default", 4).orElseThrow();
    ExecutionException lost =
        assertThrows(ExecutionException.class, () -> claim.get(10, TimeUnit.SECONDS));
    assertInstanceOf(RedisUnavailableException.class, lost.getCause());
    assertTrue(claimer.awaitingReply());
    List<Claimed> claimed = answered(() -> claimer.resendUnanswered(4));

    assertEquals(List.of(task.id()), claimed.stream().map(c -> c.lease().taskId()).toList());
    Map<String, Object> state = RedisState.of(client, keys.prefix());
    assertEquals(List.of(task.id().value()), state.get(keys.processing("default")));
    Map<?, ?> hash = (Map<?, ?>) state.get(keys.task("default", task.id().value()));
    assertEquals("1", hash.get("lease_token"), "claimed once: " + hash);
  }

  @Test
  void aSubmitWhoseReplyIsLostIsQueuedOnceAndReportedQueued() throws Exception {
    TaskSubmitter submitter = greeterSubmitter("10s");

    pauseWrites();
    TaskId id = submitter.submit(Submission.builder("greeter", "{}").build());

    Map<String, Object> state = RedisState.of(client, keys.prefix());
    assertEquals(List.of(id.value()), state.get(keys.pending("default")));
    assertEquals(Map.of("greeter", "1"), state.get(keys.open("default")), "counted once");
    assertEquals(
        1L,
        state.keySet().stream().filter(k -> k.contains("}:task:")).count(),
        state.keySet().toString());
  }

  @Test
  void aBatchWhoseRepliesAreLostIsQueuedOnceInOrder() throws Exception {
    TaskSubmitter submitter = greeterSubmitter("10s");
    submitter.submit(Submission.builder("greeter", "{}").build());
    List<Submission> batch = new ArrayList<>();
    int size = 2 * TaskSubmitter.CHUNK + 50; // three calls, two of them in flight at once
    for (int i = 0; i < size; i++) {
      batch.add(Submission.builder("greeter", "{\"i\":" + i + "}").build());
    }

    pauseWrites();
    List<TaskId> ids = submitter.submitAll(batch);

    Map<String, Object> state = RedisState.of(client, keys.prefix());
    List<Object> pending = new ArrayList<>((List<?>) state.get(keys.pending("default")));
    java.util.Collections.reverse(pending);
    assertEquals(size + 1, pending.size(), "each once");
    assertEquals(
        ids.stream().map(TaskId::value).toList(), pending.subList(1, size + 1), "in order");
    assertEquals(
        Map.of("greeter", Integer.toString(size + 1)),
        state.get(keys.open("default")),
        "counted once");
  }

  @Test
  void aSubmitNeverConfirmedSaysSoWithTheIdToCheck() throws Exception {
    TaskSubmitter submitter = greeterSubmitter("500ms");
    // Once before: the queue is in the index, and Redis knows the script (a first send would
    // only be told NOSCRIPT once the pause ends).
    TaskId before = submitter.submit(Submission.builder("greeter", "{}").build());

    pauseWrites();
    RedisUnavailableException error =
        assertThrows(
            RedisUnavailableException.class,
            () -> submitter.submit(Submission.builder("greeter", "{}").build()));

    java.util.regex.Matcher id =
        java.util.regex.Pattern.compile("task (\\S+) was sent but Redis did not confirm it")
            .matcher(error.getMessage());
    assertTrue(id.find(), error.getMessage());
    assertTrue(
        error.getMessage().contains("(no reply within " + TIMEOUT.toMillis() + " ms):"),
        "the driver's words, without its advice and the command's arguments: "
            + error.getMessage());
    assertTrue(
        error
            .getMessage()
            .endsWith(
                "check with 'producer status " + id.group(1) + "' before submitting it again"),
        error.getMessage());
    Thread.sleep(PAUSE.toMillis());
    assertEquals(
        List.of(id.group(1), before.value()),
        RedisState.of(client, keys.prefix()).get(keys.pending("default")),
        "it was queued in the end, once: checking tells");
  }

  @Test
  void aBatchNeverConfirmedNamesBothCallsInFlight() throws Exception {
    TaskSubmitter submitter = greeterSubmitter("500ms");
    submitter.submit(Submission.builder("greeter", "{}").build());
    List<Submission> batch = new ArrayList<>();
    for (int i = 0; i < TaskSubmitter.CHUNK + 1; i++) {
      batch.add(Submission.builder("greeter", "{}").build());
    }

    pauseWrites();
    RedisUnavailableException error =
        assertThrows(RedisUnavailableException.class, () -> submitter.submitAll(batch));

    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile(
                (TaskSubmitter.CHUNK + 1)
                    + " tasks, (\\S+) to (\\S+), were sent but Redis did not confirm them, so they"
                    + " may or may not be queued: check with 'producer status (\\S+)' and"
                    + " 'producer status (\\S+)' before submitting them again$")
            .matcher(error.getMessage());
    assertTrue(named.find(), error.getMessage());
    Thread.sleep(PAUSE.toMillis());
    List<Object> pending =
        new ArrayList<>(
            (List<?>) RedisState.of(client, keys.prefix()).get(keys.pending("default")));
    java.util.Collections.reverse(pending);
    assertEquals(TaskSubmitter.CHUNK + 2, pending.size(), "queued in the end, each once");
    assertEquals(named.group(1), pending.get(1), "the first call's first");
    assertEquals(named.group(3), pending.get(1));
    assertEquals(named.group(4), pending.get(1 + TaskSubmitter.CHUNK), "the second call's first");
    assertEquals(named.group(2), pending.get(TaskSubmitter.CHUNK + 1), "the last");
  }

  @Test
  void anOutcomeWhoseReplyIsLostIsRecordedOnceAndReportedRecorded() throws IOException {
    enqueuer.enqueue(tasks.greeter("{}"));
    Claimer claimer = new Claimer(redis, keys, clock, "w1", "host-1", Duration.ofSeconds(10));
    Lease lease = claimer.claim("default", 1).get(0).lease();
    AttemptRecorder recorder = new AttemptRecorder(redis, keys, clock);

    pauseWrites();
    Ending end =
        Resend.until(
            lease.expiresAt(),
            clock,
            () -> recorder.complete(lease, TaskResult.of(new byte[] {'1'}), Optional.empty()));

    assertTrue(end.recorded(), end.toString());
    Map<String, Object> state = RedisState.of(client, keys.prefix());
    assertEquals(List.of(lease.taskId().value()), state.get(keys.finished("default")));
    assertEquals(
        "completed", ((Map<?, ?>) state.get(keys.task("default", lease.taskId()))).get("stage"));
  }

  /** A submitter that resends for {@code retryFor}, with a module registered as greeter. */
  private TaskSubmitter greeterSubmitter(String retryFor) {
    new ModulePublisher(redis, keys, clock, Duration.ofSeconds(10))
        .publish("greeter", "\0asm".getBytes(StandardCharsets.UTF_8), "greeter.wasm");
    Config config =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of("TASK_QUEUE_REDIS_RETRY_FOR", retryFor))
            .build();
    return new TaskSubmitter(config, new ModuleStore(redis, keys), enqueuer, clock);
  }

  /** Retries on the caller's side, as the worker's dispatcher does. */
  private static <T> T answered(java.util.function.Supplier<T> request) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return request.get();
      } catch (RedisUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void aHandOffClaimedAgainWhileRedisTakesNoWritesLeavesNoClaimUnanswered() throws Exception {
    Claimer claimer = new Claimer(redis, keys, clock, "w1", "host-1", Duration.ofSeconds(10));
    assertEquals(Claimer.Standing.STANDING, claimer.standBy("default", 2, Duration.ofSeconds(5)));
    enqueuer.enqueue(tasks.greeter("{}")); // to pending: no reply has named the worker yet
    claimer.claim("default", 1);
    assertEquals(Claimer.Standing.STANDING, claimer.standBy("default", 2, Duration.ofSeconds(5)));
    NewTask handed = tasks.greeter("{}");
    enqueuer.enqueue(handed);
    // Its pop lost its reply; the repeat that would recover it times out in a paused Redis.
    client.getScoredSortedSet(claimer.handoffKey("default")).pollFirst();
    pauseWrites();

    assertThrows(RedisUnavailableException.class, () -> claimer.handedAgain("default"));
    assertFalse(claimer.awaitingReply(), "the hand-offs stay in doubt, no claim unanswered");
    Thread.sleep(PAUSE.toMillis());
    assertEquals(
        List.of(handed.id()),
        claimer.handedAgain("default").stream().map(c -> c.lease().taskId()).toList());
  }

  private void pauseWrites() throws IOException {
    try (Resp resp = Resp.connect(server.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(PAUSE.toMillis()), "WRITE"));
    }
  }
}
