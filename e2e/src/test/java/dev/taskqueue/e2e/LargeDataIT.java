package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads and results as large as task-queue takes by default (1 MiB), behind a deep queue of
 * no-op tasks that earns the worker a backlog of hundreds claimed ahead, on a worker with a small
 * heap. Each claim, batch submit and round trip of outcomes carries a few megabytes at most, and
 * results wait for Redis in the worker only up to a bound, so every task ends. Unbounded, one claim
 * of such payloads was a reply of hundreds of megabytes, longer than the timeout, after which the
 * worker stopped claiming for good; one round trip of such results ran a worker out of memory.
 */
class LargeDataIT {
  private static final int NOOPS = 2000;
  private static final int LARGE_PAYLOADS = 100;
  private static final int LARGE_RESULTS = 300;

  private static final Map<String, String> SMALL_WORKER =
      Map.of(
          "TASK_QUEUE_WORKER_JAVA_OPTS", "-Xmx512m",
          "TASK_QUEUE_MAX_MEMORY_PAGES", "64");

  @TempDir Path dir;

  /**
   * A server of its own, not the run's shared one: the half gigabyte of payloads and results this
   * test leaves is freed when it stops, rather than kept for every test after it.
   */
  private RedisServer server;

  private E2e e2e;

  @BeforeEach
  void setUp() {
    server = RedisServer.startEphemeral();
    e2e = new E2e(new TestRedis(server, "large"), dir);
    for (String module : List.of("echo.wat", "large-echo.wat", "megabyte.wat")) {
      Result upload = e2e.bin.run("registry", "upload", E2e.module(module).toString());
      assertEquals(0, upload.exitCode(), upload.toString());
    }
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void largePayloadsAndResultsBehindADeepQueueAllEndOnASmallWorker() throws Exception {
    String payload = "{\"d\":\"" + "x".repeat(1_000_000) + "\"}";
    List<String> lines = new ArrayList<>(E2e.batchLines("echo", "{}", NOOPS));
    lines.addAll(E2e.batchLines("large-echo", payload, LARGE_PAYLOADS));
    lines.addAll(E2e.batchLines("megabyte", "{}", LARGE_RESULTS));
    List<TaskId> ids = e2e.submitBatch(lines);
    assertEquals(NOOPS + LARGE_PAYLOADS + LARGE_RESULTS, ids.size());

    Path log = dir.resolve("worker.log");
    Process worker = e2e.bin.start("worker", log, SMALL_WORKER, "--concurrency", "50");
    try {
      for (TaskId id : ids) {
        Task task = e2e.await(id, t -> t.stage().isFinal(), Duration.ofMinutes(2));
        assertEquals(Stage.COMPLETED, task.stage(), task.toString());
      }
    } finally {
      assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));
    }
    String said = Files.readString(log);
    assertFalse(said.contains("OutOfMemoryError"), said);
    assertFalse(said.contains("bug:"), said);
    Task last = e2e.task(ids.get(ids.size() - 1));
    assertEquals(1_000_000, last.result().orElseThrow().bytes().length);
  }
}
