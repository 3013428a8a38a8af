package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redis crashing and coming back (with its append-only file) loses no task and no worker. */
class RedisRestartIT {
  @TempDir Path dir;
  private RedisServer server;
  private E2e e2e;

  @BeforeEach
  void setUp() {
    server = RedisServer.startPersistent();
    e2e = new E2e(new TestRedis(server, "restart"), dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void queuedTasksSurviveARedisCrashAndAWorkerRidesOutTheOutage() throws Exception {
    TaskId queued = submit("{\"name\":\"before the crash\"}");
    server.kill();
    Result refused = e2e.bin.run("producer", "status", queued.value());
    assertEquals(3, refused.exitCode(), refused.toString());
    server.start();
    assertEquals(Stage.PENDING, e2e.task(queued).stage(), "the append-only file kept it");

    Process worker = e2e.bin.start("worker", dir.resolve("worker.log"));
    try {
      assertEquals(Stage.COMPLETED, e2e.awaitFinal(queued).stage());

      server.kill();
      Eventually.await(
          () -> Executables.logSoFar(dir.resolve("worker.log")),
          log -> log.contains("event=worker.heartbeat_failed"),
          Duration.ofSeconds(30),
          "the worker noticing Redis is gone");
      server.start();
      TaskId after = submit("{\"name\":\"after the restart\"}");

      assertEquals(Stage.COMPLETED, e2e.awaitFinal(after).stage());
      // Its next heartbeat, up to a second after the last that failed, says so: the task may well
      // have been claimed and run sooner (a claim needs no heartbeat).
      Eventually.await(
          () -> Executables.logSoFar(dir.resolve("worker.log")),
          log -> log.contains("event=worker.heartbeat_restored"),
          Duration.ofSeconds(30),
          "the worker's heartbeat restored");
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    }
    String log = Files.readString(dir.resolve("worker.log"));
    assertTrue(log.contains("event=worker.heartbeat_failed"), log);
    assertTrue(log.contains("event=worker.heartbeat_restored"), log);
    // Durations in words a reader knows, as the rest of the line's, not Java's PT3S.
    assertTrue(
        Pattern.compile("leases expire \\d+ ms after the last beat").matcher(log).find(), log);
  }

  /**
   * Redis killed in the middle of a run, with tasks running, retrying and waiting, then started
   * again from its append-only file: the worker and the reaper carry on and every task completes.
   */
  @Test
  void aRedisCrashInTheMiddleOfARunLeavesEveryTaskCompleted() throws Exception {
    Result upload = e2e.bin.run("registry", "upload", E2e.module("nap.wat").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Result submit =
          e2e.bin.run(
              "producer", "submit", "--task", "nap", "--payload", "200", "--max-retries", "10");
      assertEquals(0, submit.exitCode(), submit.toString());
      ids.add(TaskId.parse(submit.stdout().strip()));
    }
    Process worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--concurrency", "4");
    Process reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
    try {
      Eventually.await(
          () -> e2e.depth("default").finished(),
          n -> n >= 4,
          Duration.ofSeconds(60),
          "some tasks completing before the crash");

      server.kill();
      Thread.sleep(2000);
      server.start();

      for (TaskId id : ids) {
        assertEquals(
            Stage.COMPLETED,
            e2e.await(id, t -> t.stage().isFinal(), Duration.ofMinutes(2)).stage());
      }
      Eventually.await(
          () -> e2e.depth("default"), Depth::settled, Duration.ofSeconds(30), "nothing left held");
      List<String> finished = e2e.client.<String>getList(e2e.keys.finished("default")).readAll();
      assertEquals(ids.size(), finished.size());
      assertEquals(ids.size(), new HashSet<>(finished).size(), "none completed twice");
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
      assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(60)));
    }
    // The reaper sweeps at least twice a second: the crash failed some sweeps, and its log says
    // where that ended.
    String reaperLog = Files.readString(dir.resolve("reaper.log"));
    assertTrue(
        Pattern.compile("sweeping at least every \\d+ ms").matcher(reaperLog).find(), reaperLog);
    int down = reaperLog.indexOf("event=reaper.redis_unavailable");
    assertTrue(down >= 0, reaperLog);
    assertTrue(reaperLog.indexOf("event=reaper.redis_restored", down) > down, reaperLog);
    assertTrue(reaperLog.contains("reaper stopped event=reaper.stopped"), reaperLog);
  }

  /** A task scheduled for later outlives a Redis crash, and runs when it is due. */
  @Test
  void aScheduledTaskSurvivesARedisCrashAndRunsWhenDue() throws Exception {
    Result submit =
        e2e.bin.run(
            "producer",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{\"name\":\"later\"}",
            "--in",
            "6s");
    assertEquals(0, submit.exitCode(), submit.toString());
    TaskId id = TaskId.parse(submit.stdout().strip());
    assertEquals(Stage.SCHEDULED, e2e.task(id).stage());

    server.kill();
    server.start();
    assertEquals(Stage.SCHEDULED, e2e.task(id).stage(), "the append-only file kept it");

    Process worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--with-scheduler");
    try {
      Task done = e2e.await(id, t -> t.stage().isFinal(), Duration.ofSeconds(60));
      assertEquals(Stage.COMPLETED, done.stage());
      assertTrue(
          !done.startedAt().orElseThrow().isBefore(done.runAt().orElseThrow()),
          "not before it was due");
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    }
  }

  private TaskId submit(String payload) {
    Result submit = e2e.bin.run("producer", "submit", "--task", "greeter", "--payload", payload);
    assertEquals(0, submit.exitCode(), submit.toString());
    return TaskId.parse(submit.stdout().strip());
  }
}
