package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
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
 * Issue 17: every executable works as a Redis ACL user that may touch only the product's keys
 * ({@code {P}:*} and {@code {P:*}}) and channels ({@code P:*}), and no {@code @dangerous} command
 * (KEYS, FLUSHALL, CONFIG, INFO, DEBUG, ...): what a shared Redis would grant task-queue.
 */
class AclIT {
  private static final String PREFIX = "tacl";
  private static final String PASSWORD = "acl-s3cret";

  @TempDir Path dir;
  private RedisServer server;
  private E2e e2e;
  private Executables bin;

  @BeforeEach
  void setUp() throws IOException {
    server = RedisServer.startEphemeral();
    try (Resp admin = Resp.connect(server.port())) {
      List<String> setUser = new ArrayList<>(List.of("ACL", "SETUSER", "tq"));
      setUser.addAll(limitedTo(PREFIX, PASSWORD));
      assertEquals("OK", admin.send(setUser.toArray(String[]::new)));
    }
    // Inspected by the harness as the default user; run as the limited one.
    e2e = new E2e(new TestRedis(server, PREFIX), dir);
    bin =
        new Executables(
            Map.of(
                "REDIS_URL", server.url("tq:" + PASSWORD),
                "TASK_QUEUE_KEY_PREFIX", PREFIX,
                "TASK_QUEUE_WASM_LOG_DIR", dir.resolve("wasm-logs").toString()),
            dir);
  }

  /**
   * The ACL rules of a user with {@code password} who may touch only the keys and channels of
   * {@code prefix}, and run no {@code @dangerous} command: what a shared Redis grants task-queue.
   */
  static List<String> limitedTo(String prefix, String password) {
    return List.of(
        "on",
        ">" + password,
        "resetkeys",
        "~{" + prefix + "}:*",
        "~{" + prefix + ":*",
        "resetchannels",
        "&" + prefix + ":*",
        "+@all",
        "-@dangerous");
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void everyExecutableWorksAsAUserLimitedToTheProductsKeys() throws Exception {
    try (Resp limited = Resp.connect(server.port())) {
      assertEquals("OK", limited.send("AUTH", "tq", PASSWORD));
      assertTrue(
          String.valueOf(limited.send("SET", "other:key", "x")).startsWith("NOPERM"),
          "the user really is limited to the prefix");
    }
    Executables.ok(
        bin.run(
            "registry", "upload", E2e.sample("greeter.wasm") + "", E2e.module("trap.wat") + ""));
    List<Process> processes = bin.startAll(dir, "worker", "scheduler", "reaper");
    try {

      TaskId now = bin.submit("greeter", "{\"name\":\"Ada\"}");
      TaskId later = bin.submit("greeter", "{}", "--in", "1s");
      TaskId trap = bin.submit("trap", "{}", "--max-retries", "0");
      assertEquals(Stage.COMPLETED, e2e.awaitFinal(now).stage());
      assertEquals(Stage.COMPLETED, e2e.awaitFinal(later).stage(), "promoted by the scheduler");
      assertEquals(Stage.DEAD, e2e.awaitFinal(trap).stage());

      Executables.ok(bin.run("producer", "dlq", "replay", trap.value()));
      e2e.await(
          trap, t -> t.stage() == Stage.DEAD && t.history().size() == 2, Duration.ofMinutes(1));
      Executables.ok(bin.run("producer", "status", now.value()));
      Executables.ok(bin.run("producer", "logs", now.value()));
      Executables.ok(bin.run("producer", "stats"));
      Executables.ok(bin.run("producer", "workers"));
      Executables.ok(bin.run("producer", "inspect", "--stage", "completed"));
      Executables.ok(
          bin.run(
              "producer",
              "cron",
              "add",
              "--name",
              "nightly",
              "--task",
              "greeter",
              "--cron",
              "0 3 * * *",
              "--payload",
              "{}"));
      Executables.ok(bin.run("producer", "cron", "rm", "nightly"));
      Executables.ok(bin.run("producer", "dlq", "purge", "--yes"));
      Executables.ok(bin.run("registry", "rm", "trap", "--force"));
    } finally {
      Executables.terminateAll(processes);
    }
    for (String log : List.of("worker.log", "scheduler.log", "reaper.log")) {
      String text = java.nio.file.Files.readString(dir.resolve(log));
      assertTrue(!text.contains("NOPERM"), log + ":\n" + text);
    }
  }
}
