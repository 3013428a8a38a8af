package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisSentinel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: every executable finds its Redis through Sentinel ({@code
 * redis-sentinel://...#master}): upload, submit, work, a run-at, a dead task replayed, and the
 * admin commands.
 */
class SentinelIT {
  private static final String PREFIX = "tsn";

  @TempDir Path dir;

  @Test
  void everyExecutableWorksThroughASentinel() throws Exception {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      Executables bin =
          new Executables(
              Map.of(
                  "REDIS_URL", sentinel.url(),
                  "TASK_QUEUE_KEY_PREFIX", PREFIX,
                  "TASK_QUEUE_WASM_LOG_DIR", dir.resolve("wasm-logs").toString()),
              dir);
      TaskInspector inspector =
          new TaskInspector(new Redis(TestSessions.client(sentinel.url())), new Keys(PREFIX));
      Executables.ok(
          bin.run(
              "registry",
              "upload",
              E2e.sample("greeter.wasm").toString(),
              E2e.module("trap.wat").toString()));
      List<Process> processes = bin.startAll(dir, "worker", "scheduler", "reaper");
      try {

        TaskId now = bin.submit("greeter", "{\"name\":\"Ada\"}");
        TaskId later = bin.submit("greeter", "{}", "--in", "1s");
        TaskId trap = bin.submit("trap", "{}", "--max-retries", "0");
        assertEquals(Stage.COMPLETED, awaitFinal(inspector, now).stage());
        assertEquals(Stage.COMPLETED, awaitFinal(inspector, later).stage(), "promoted");
        assertEquals(Stage.DEAD, awaitFinal(inspector, trap).stage());
        Executables.ok(bin.run("producer", "dlq", "replay", trap.value()));
        Eventually.await(
            () -> inspector.find(trap).orElseThrow(),
            t -> t.stage() == Stage.DEAD && t.history().size() == 2,
            Duration.ofSeconds(60),
            "the replayed task dead again");
        for (String command : List.of("stats", "queues", "workers")) {
          Executables.ok(bin.run("producer", command));
        }
        Executables.ok(bin.run("producer", "status", now.value()));
      } finally {
        Executables.terminateAll(processes);
        TestSessions.forget(sentinel.url());
      }
    }
  }

  private static Task awaitFinal(TaskInspector inspector, TaskId id) throws InterruptedException {
    return Eventually.await(
        () -> inspector.find(id).orElseThrow(),
        t -> t.stage().isFinal(),
        Duration.ofSeconds(60),
        "task " + id + " ending");
  }
}
