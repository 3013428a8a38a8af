package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
          () -> read(dir.resolve("worker.log")),
          log -> log.contains("event=worker.redis_unavailable"),
          Duration.ofSeconds(30),
          "the worker noticing Redis is gone");
      server.start();
      TaskId after = submit("{\"name\":\"after the restart\"}");

      assertEquals(Stage.COMPLETED, e2e.awaitFinal(after).stage());
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    }
    String log = Files.readString(dir.resolve("worker.log"));
    assertTrue(log.contains("event=worker.redis_unavailable"), log);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private TaskId submit(String payload) {
    Result submit = e2e.bin.run("producer", "submit", "--task", "greeter", "--payload", payload);
    assertEquals(0, submit.exitCode(), submit.toString());
    return TaskId.parse(submit.stdout().strip());
  }
}
