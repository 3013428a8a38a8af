package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Workers that are killed or told to stop never lose a task. */
@ExtendWith(RedisExtension.class)
class CrashIT {
  private E2e e2e;
  private Path dir;

  @BeforeEach
  void setUp(TestRedis redis, @TempDir Path dir) {
    this.dir = dir;
    this.e2e = new E2e(redis, dir);
    upload(E2e.module("spin.wat"));
    upload(E2e.sample("checksum.wasm"));
    upload(E2e.sample("greeter.wasm"));
  }

  @Test
  void aWorkerKilledMidTaskLeavesTheTaskLeasedAndFindableByItsExpiry() throws Exception {
    TaskId spinning = submit("spin", "{}", "--timeout", "5m");
    Process worker = e2e.bin.start("worker", dir.resolve("w1.log"), "--worker-id", "doomed");
    Task running = e2e.await(spinning, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));

    Executables.kill(worker);

    Task held = e2e.task(spinning);
    assertEquals(Stage.IN_PROGRESS, held.stage());
    assertEquals("doomed", held.workerId().orElseThrow(), "who held it");
    Instant expiry = held.leaseExpiresAt().orElseThrow();
    assertTrue(expiry.isAfter(Instant.now().plus(Duration.ofMinutes(4))), "until when: " + expiry);
    assertEquals(
        List.of(spinning.value()),
        e2e.client.<String>getList(e2e.keys.processing("default")).readAll());
    assertEquals(
        (double) expiry.toEpochMilli(),
        e2e.client.getScoredSortedSet(e2e.keys.timeout("default")).getScore(spinning.value()),
        "the reaper finds it in the timeout set by its expiry");
    assertEquals(running.leaseToken(), held.leaseToken());

    // Another worker leaves the leased task alone but takes new work.
    TaskId next = submit("greeter", "{}");
    Process survivor = e2e.bin.start("worker", dir.resolve("w2.log"), "--worker-id", "survivor");
    try {
      assertEquals(Stage.COMPLETED, e2e.awaitFinal(next).stage());
      assertEquals("survivor", e2e.task(next).workerId().orElseThrow());
      assertEquals(Stage.IN_PROGRESS, e2e.task(spinning).stage());
      assertEquals("doomed", e2e.task(spinning).workerId().orElseThrow());
    } finally {
      Executables.terminate(survivor, Duration.ofSeconds(60));
    }
  }

  @Test
  void sigtermLetsTheRunningTaskFinishThenExitsZero() throws Exception {
    TaskId id = submit("checksum", "{\"bytes\":4194304,\"rounds\":2}", "--timeout", "5m");
    Process worker = e2e.bin.start("worker", dir.resolve("w.log"));
    e2e.await(id, t -> t.stage() != Stage.PENDING, Duration.ofSeconds(60));

    assertEquals(0, Executables.terminate(worker, Duration.ofMinutes(2)));

    assertEquals(Stage.COMPLETED, e2e.task(id).stage());
  }

  @Test
  void sigtermPastTheGraceReleasesTheTaskToItsQueueThenExitsZero() throws Exception {
    TaskId id = submit("spin", "{}", "--timeout", "5m");
    Process worker = e2e.bin.start("worker", dir.resolve("w.log"), "--shutdown-grace", "500ms");
    e2e.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));

    assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));

    Task released = e2e.task(id);
    assertEquals(Stage.PENDING, released.stage());
    assertEquals(1, released.attempts());
    assertEquals(
        List.of(id.value()), e2e.client.<String>getList(e2e.keys.pending("default")).readAll());
    assertEquals(0, e2e.depth("default").processing());
  }

  private void upload(Path module) {
    Result upload = e2e.bin.run("registry", "upload", module.toString());
    assertEquals(0, upload.exitCode(), upload.toString());
  }

  private TaskId submit(String task, String payload, String... options) {
    List<String> args =
        new java.util.ArrayList<>(List.of("submit", "--task", task, "--payload", payload));
    args.addAll(List.of(options));
    Result submit = e2e.bin.run("producer", "", Map.of(), args.toArray(String[]::new));
    assertEquals(0, submit.exitCode(), submit.toString());
    return TaskId.parse(submit.stdout().strip());
  }
}
