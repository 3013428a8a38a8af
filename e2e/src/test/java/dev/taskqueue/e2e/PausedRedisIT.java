package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 2, with the real executables: Redis stops taking writes (as in a failover) for
 * several times the command timeout, while a worker drains a queue and a producer submits. Every
 * timed-out copy of a request runs once the pause ends. Nothing may be orphaned (leased to a live
 * worker that does not run it), run twice, or be reported wrongly.
 *
 * <p>Each pause is much shorter than a lease, and the next starts only once the worker's heartbeat
 * got through after it: pauses back to back with no beat between them are one outage longer than a
 * lease, after which the worker rightly drops its leases for the reaper to recover (ChaosIT,
 * RedisRestartIT), which is not this test's case.
 */
class PausedRedisIT {
  private static final Map<String, String> SHORT_TIMEOUT =
      Map.of("TASK_QUEUE_REDIS_TIMEOUT", "300ms");

  /**
   * The worker's lease, the default: longer than a pause, and a claim's reply lost to a pause is
   * answered, when sent again after it, with its leases renewed from then. A beat is recorded as
   * due again this long after it was sent.
   */
  private static final Duration LEASE = Duration.ofSeconds(3);

  private static final Map<String, String> WORKER_SETTINGS =
      Map.of(
          "TASK_QUEUE_REDIS_TIMEOUT",
          SHORT_TIMEOUT.get("TASK_QUEUE_REDIS_TIMEOUT"),
          "TASK_QUEUE_LEASE_DURATION",
          LEASE.toMillis() + "ms");

  @TempDir Path dir;
  private RedisServer server;
  private E2e e2e;

  @BeforeEach
  void setUp() {
    server = RedisServer.startEphemeral();
    e2e = new E2e(new TestRedis(server, "paused"), dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void pausesWhileAWorkerDrainsAndAProducerSubmitsLoseNothingAndDoubleNothing() throws Exception {
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(submit());
    }
    Process worker =
        e2e.bin.start(
            "worker",
            dir.resolve("worker.log"),
            WORKER_SETTINGS,
            "--worker-id",
            "w1",
            "--concurrency",
            "4");
    try {
      for (int pause = 0; pause < 3; pause++) {
        e2e.await(ids.get(0), t -> t.stage() != Stage.PENDING, Duration.ofSeconds(60));
        CompletableFuture<TaskId> duringPause = CompletableFuture.supplyAsync(this::submit);
        pauseWrites(Duration.ofSeconds(2));
        Instant resumed = Instant.now();
        ids.add(duringPause.get());
        awaitBeatSentAfter(resumed);
      }
      awaitAllFinal(ids);
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    }

    for (TaskId id : ids) {
      Task task = e2e.task(id);
      assertEquals(Stage.COMPLETED, task.stage(), task.toString());
      assertEquals(1, task.leaseToken(), "claimed exactly once: " + task);
    }
    List<String> finished = e2e.client.<String>getList(e2e.keys.finished("default")).readAll();
    assertEquals(ids.size(), new HashSet<>(finished).size(), "each finished once");
    assertEquals(ids.size(), finished.size(), "each finished once");
    assertEquals(new Depth(0, 0, ids.size(), 0, 0, 0), e2e.depth("default"), "nothing orphaned");
  }

  /**
   * Waits until the worker's heartbeat, and so its leases' renewal, went through after {@code t}.
   */
  private void awaitBeatSentAfter(Instant t) throws InterruptedException {
    // The worker's score is when its latest beat was sent, plus the lease.
    long after = t.plus(LEASE).toEpochMilli();
    Eventually.await(
        () -> e2e.client.getScoredSortedSet(e2e.keys.workers()).getScore("w1"),
        score -> score != null && score >= after,
        Duration.ofSeconds(20),
        "the worker's heartbeat after a pause");
  }

  private void awaitAllFinal(List<TaskId> ids) throws InterruptedException {
    for (TaskId id : ids) {
      e2e.awaitFinal(id);
    }
  }

  private TaskId submit() {
    Result submit =
        e2e.bin.run(
            "producer", "", SHORT_TIMEOUT, "submit", "--task", "greeter", "--payload", "{}");
    assertEquals(0, submit.exitCode(), submit.toString());
    return TaskId.parse(submit.stdout().strip());
  }

  private void pauseWrites(Duration pause) throws Exception {
    try (Resp resp = Resp.connect(server.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(pause.toMillis()), "WRITE"));
    }
    Thread.sleep(pause.toMillis());
  }
}
