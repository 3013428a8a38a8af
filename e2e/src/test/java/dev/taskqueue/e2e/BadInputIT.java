package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input, through the real executables: one line on stderr that names the problem,
 * the documented exit code, and Redis exactly as it was.
 */
@ExtendWith(RedisExtension.class)
class BadInputIT {
  private E2e e2e;
  private Map<String, Object> before;

  @BeforeEach
  void setUp(TestRedis redis, @TempDir Path dir) {
    e2e = new E2e(redis, dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    before = e2e.state();
  }

  @Test
  void invalidModuleBytes() {
    Path fake = e2e.write("fake.wasm", "this is not wasm".getBytes(StandardCharsets.UTF_8));
    rejected(
        e2e.bin.run("registry", "upload", fake.toString()),
        2,
        "fake.wasm is not a valid WebAssembly module");
  }

  @Test
  void aModuleMissingExecute() {
    rejected(
        e2e.bin.run("registry", "upload", E2e.module("no-execute.wat").toString()),
        2,
        "does not export 'execute'");
  }

  @Test
  void aModuleImportingFromOutsideWasi() {
    rejected(
        e2e.bin.run("registry", "upload", E2e.module("foreign-import.wat").toString()),
        2,
        "env.abort, outside wasi_snapshot_preview1");
  }

  /** Issue 16: refused at upload, not at run time, when it could run on no worker. */
  @Test
  void aModuleStartingWithMoreMemoryThanWorkersAllow() {
    rejected(
        e2e.bin.run("registry", "upload", E2e.module("big-memory.wat").toString()),
        2,
        "starts with 2048 memory pages, more than the 1024 workers allow");
  }

  /** The registry starts a module once: one whose start never ends would fail every task. */
  @Test
  void aModuleWhoseStartNeverEnds() {
    rejected(
        e2e.bin.run(
            "registry", "upload", "--timeout", "1s", E2e.module("init-loop.wat").toString()),
        2,
        "init-loop.wat does not start: _initialize ran past 1s (the module's --timeout)");
  }

  @Test
  void aMalformedPayload() {
    rejected(
        e2e.bin.run("producer", "submit", "--task", "greeter", "--payload", "{\"name\":"),
        2,
        "payload is not valid JSON");
  }

  @Test
  void malformedFlags() {
    rejected(
        e2e.bin.run(
            "producer", "submit", "--task", "greeter", "--payload", "{}", "--timeout", "soon"),
        2,
        "soon");
    rejected(
        e2e.bin.run(
            "producer", "submit", "--task", "greeter", "--payload", "{}", "--max-retries", "many"),
        2,
        "many");
    rejected(e2e.bin.run("producer", "submit", "--payload", "{}"), 2, "--task");
    rejected(e2e.bin.run("producer", "submit", "--task", "greeter", "--colour"), 2, "--colour");
  }

  @Test
  void anUnknownTask() {
    rejected(
        e2e.bin.run("producer", "submit", "--task", "nosuch", "--payload", "{}"),
        4,
        "unknown task 'nosuch'");
    // Which Redis was looked in: REDIS_URL unset in one shell is the likeliest cause.
    rejected(
        e2e.bin.run("producer", "submit", "--task", "nosuch", "--payload", "{}"),
        4,
        "or see 'registry list' (looked in Redis at redis://");
  }

  @Test
  void anOversizePayload() {
    String payload = "{\"name\":\"" + "x".repeat(60) + "\"}";
    rejected(
        e2e.bin.run(
            "producer",
            "",
            Map.of("TASK_QUEUE_MAX_PAYLOAD_BYTES", "64"),
            "submit",
            "--task",
            "greeter",
            "--payload",
            payload),
        2,
        "TASK_QUEUE_MAX_PAYLOAD_BYTES");
  }

  @Test
  void aBadRedisUrl() {
    Map<String, String> env = Map.of("REDIS_URL", "http://localhost:6379");
    for (String[] command :
        new String[][] {
          {"producer", "submit", "--task", "greeter", "--payload", "{}"},
          {"registry", "list"},
          {"worker"}
        }) {
      rejected(
          e2e.bin.run(
              command[0], "", env, java.util.Arrays.copyOfRange(command, 1, command.length)),
          2,
          "invalid REDIS_URL='http://localhost:6379' from the environment");
    }
  }

  @Test
  void redisNotRunning() {
    String url = "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0";
    Map<String, String> env = Map.of("REDIS_URL", url);
    for (String[] command :
        new String[][] {
          {"producer", "submit", "--task", "greeter", "--payload", "{}"},
          {"registry", "upload", E2e.sample("greeter.wasm").toString()},
          {"worker"}
        }) {
      rejected(
          e2e.bin.run(
              command[0], "", env, java.util.Arrays.copyOfRange(command, 1, command.length)),
          3,
          "cannot connect to Redis at " + url);
    }
  }

  /** Issue 16: a worker whose slots could not all hold a task at its memory cap will not start. */
  @Test
  void aWorkerWhoseTasksWouldNotFitInItsHeap() {
    Map<String, String> env =
        Map.of(
            "TASK_QUEUE_WORKER_CONCURRENCY",
            "8",
            "TASK_QUEUE_MAX_MEMORY_PAGES",
            "1024",
            "TASK_QUEUE_JAVA_OPTS",
            "-Xmx256m");

    rejected(
        e2e.bin.run("worker", "", env),
        2,
        "is 512 MiB of task memory, more than this JVM's maximum heap");
  }

  /** A worker that could write none of its tasks' log files will not start. */
  @Test
  void aWorkerWhoseLogFolderCannotBeWritten(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

    rejected(
        e2e.bin.run(
            "worker", "", Map.of("TASK_QUEUE_WASM_LOG_DIR", file.resolve("logs").toString())),
        2,
        "cannot write task log files in " + file.resolve("logs"));
  }

  private void rejected(Result result, int exitCode, String fragment) {
    assertEquals(exitCode, result.exitCode(), result.toString());
    String stderr = result.stderr().strip();
    assertEquals(1, stderr.lines().count(), "one line:\n" + result);
    assertTrue(stderr.contains(fragment), "'" + fragment + "' in:\n" + result);
    assertEquals("", result.stdout(), "nothing on stdout:\n" + result);
    assertEquals(before, e2e.state(), "Redis is unchanged");
  }
}
