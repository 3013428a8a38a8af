package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Redis that docker-compose.yml runs, and that quickstart.sh and the bench start, keeps a task
 * with a small payload and result in its compact encoding (a listpack) from submit to completion:
 * every value of its hash fits that Redis's {@code hash-max-listpack-value}. Redis's default (64
 * bytes) fits none, since each hash holds its shape and module digest (docs/operations.md,
 * "Redis"); this fails if a task's hash outgrows the setting the deployments ship, or if they (and
 * the test harness's Redis, which runs every other test as deployed) stop agreeing on it.
 */
class CompactTaskHashIT {
  private static final String SETTING = "hash-max-listpack-value";

  @Test
  void aSmallTaskStaysCompactFromSubmitToCompletion(@TempDir Path dir) throws Exception {
    String limit = composeLimit();
    String quickstart = Files.readString(Executables.ROOT.resolve("quickstart.sh"));
    assertTrue(quickstart.contains("--" + SETTING + " " + limit), "quickstart.sh sets " + limit);
    String bench =
        Files.readString(
            Executables.ROOT.resolve(
                "bench/src/main/java/dev/taskqueue/bench/OwnRedisServer.java"));
    assertTrue(
        Pattern.compile("\"--" + SETTING + "\",\\s*\"" + limit + "\"").matcher(bench).find(),
        "the bench's own redis-server sets " + limit);
    assertEquals(
        List.of("--" + SETTING, limit), RedisServer.DEPLOYED_SETTINGS, "the tests' Redis sets it");

    try (RedisServer server = RedisServer.startEphemeral();
        Resp redis = Resp.connect(server.port())) {
      assertEquals(List.of(SETTING, limit), redis.send("CONFIG", "GET", SETTING));
      E2e e2e = new E2e(new TestRedis(server, "tcompact"), dir);
      Result upload = e2e.bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
      assertEquals(0, upload.exitCode(), upload.toString());
      Result submit =
          e2e.bin.run("producer", "submit", "--task", "greeter", "--payload", "{\"name\":\"Ada\"}");
      assertEquals(0, submit.exitCode(), submit.toString());
      TaskId id = new TaskId(submit.stdout().strip());
      String hash = e2e.keys.task("default", id.value());
      assertEquals("listpack", redis.send("OBJECT", "ENCODING", hash), "pending");

      Process worker = e2e.bin.start("worker", dir.resolve("worker.log"), "--concurrency", "1");
      try {
        assertEquals(Stage.COMPLETED, e2e.awaitFinal(id).stage());
      } finally {
        assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)), "worker exits 0");
      }
      assertTrue(e2e.task(id).logPath().isPresent(), "the greeter's output was saved");
      assertEquals("listpack", redis.send("OBJECT", "ENCODING", hash), "completed");
    }
  }

  /** The value the compose file's Redis is started with. */
  private static String composeLimit() throws IOException {
    Map<String, Map<String, Map<String, Object>>> compose =
        new Yaml().load(Files.readString(Executables.ROOT.resolve("docker-compose.yml")));
    List<?> command = (List<?>) compose.get("services").get("redis").get("command");
    int at = command.indexOf("--" + SETTING);
    assertTrue(at >= 0, "the compose file's Redis sets " + SETTING + ": " + command);
    String limit = command.get(at + 1).toString();
    Matcher number = Pattern.compile("\\d+").matcher(limit);
    assertTrue(number.matches(), limit);
    return limit;
  }
}
