package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries, the dead-letter queue and heartbeats with real processes: a worker and a reaper, and no
 * scheduler process, which retries do not need.
 */
@ExtendWith(RedisExtension.class)
class RetryIT {
  @TempDir Path dir;
  private E2e e2e;
  private Process worker;
  private Process reaper;

  @BeforeEach
  void setUp(TestRedis redis) {
    e2e = new E2e(redis, dir);
    for (String module : List.of("trap.wat", "nap.wat")) {
      Result upload = e2e.bin.run("registry", "upload", E2e.module(module).toString());
      assertEquals(0, upload.exitCode(), upload.toString());
    }
    worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--worker-id", "w1");
    reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(60)));
  }

  @Test
  void aFailingTaskIsRetriedAfterItsBackoffThenDeadAndCanBeReplayedAlsoOnAFixedModule()
      throws Exception {
    TaskId id =
        e2e.bin.submit("trap", "{}", "--max-retries", "2", "--retry-backoff", "200ms..300ms");

    Task dead = e2e.await(id, t -> t.stage() == Stage.DEAD, Duration.ofSeconds(60));

    assertEquals(3, dead.attempts(), "the first attempt and two retries");
    List<Attempt> history = dead.history();
    assertEquals(List.of("failed", "failed", "failed"), outcomes(history));
    for (int i = 0; i + 1 < history.size(); i++) {
      Attempt failed = history.get(i);
      Attempt next = history.get(i + 1);
      assertTrue(
          !next.startedAt().orElseThrow().isBefore(failed.retryAt().orElseThrow()),
          "attempt " + next.number() + " waited for its backoff: " + history);
    }
    assertEquals(
        List.of(id.value()), e2e.client.<String>getList(e2e.keys.dlq("default")).readAll());
    Result list = e2e.bin.run("producer", "dlq", "list");
    assertTrue(list.stdout().contains(id.value()), list.toString());

    Result replay = e2e.bin.run("producer", "dlq", "replay", id.value());
    assertEquals(0, replay.exitCode(), replay.toString());
    Task again =
        e2e.await(
            id, t -> t.stage() == Stage.DEAD && t.history().size() == 6, Duration.ofSeconds(60));
    assertEquals(3, again.attempts(), "attempts counted afresh after the replay");
    assertTrue(again.replayedAt().isPresent());
    Result status = e2e.bin.run("producer", "status", id.value());
    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.stdout().contains("trap"), status.stdout());

    // The module is fixed (here: one that returns its payload) and the task replayed on the fix.
    Result fix =
        e2e.bin.run("registry", "upload", "--name", "trap", E2e.module("echo.wat").toString());
    assertEquals(0, fix.exitCode(), fix.toString());
    Result onFix = e2e.bin.run("producer", "dlq", "replay", "--newest-module", id.value());
    assertEquals(0, onFix.exitCode(), onFix.toString());
    assertEquals("replayed " + id + " on v2 (was v1)\n", onFix.stdout());
    Task fixed = e2e.awaitFinal(id);
    assertEquals(Stage.COMPLETED, fixed.stage(), fixed.history().toString());
    assertEquals(2, fixed.moduleVersion());
    assertEquals("{}", fixed.result().orElseThrow().stored());
  }

  /** A task running far longer than a lease is never taken over while its worker beats. */
  @Test
  void aLongTaskKeepsItsLeaseWhileItsWorkerIsAlive() throws Exception {
    TaskId id = e2e.bin.submit("nap", "8000", "--timeout", "1m");
    e2e.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));

    Map<String, String> beat =
        Eventually.await(
            () -> e2e.client.<String, String>getMap(e2e.keys.worker("w1")).readAllMap(),
            record -> "1".equals(record.get("busy")),
            Duration.ofSeconds(10),
            "the worker's heartbeat saying it is busy");
    assertEquals("4", beat.get("slots"));
    assertEquals(Long.toString(worker.pid()), beat.get("pid"));
    assertTrue(beat.containsKey("host") && beat.containsKey("version"), beat.toString());
    assertTrue(beat.containsKey("started_at") && beat.containsKey("beat_at"), beat.toString());
    assertTrue(Long.parseLong(beat.get("heap_used")) > 0, beat.toString());
    assertTrue(Long.parseLong(beat.get("heap_max")) >= Long.parseLong(beat.get("heap_used")));
    assertTrue(Integer.parseInt(beat.get("threads")) > 4, "slots and more: " + beat);

    Task done = e2e.awaitFinal(id);
    assertEquals(Stage.COMPLETED, done.stage());
    assertEquals(1, done.attempts(), "never taken over: " + done.history());
    assertEquals(1, done.leaseToken());
  }

  private static List<String> outcomes(List<Attempt> history) {
    List<String> outcomes = new ArrayList<>();
    history.forEach(a -> outcomes.add(a.outcome()));
    return outcomes;
  }
}
