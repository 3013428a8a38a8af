package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

/**
 * No executable ever prints a Redis password: not in an error line, not in a {@code --verbose}
 * stack trace, not in a {@code --log-level trace} log, whether the URL is malformed, the password
 * wrong or right.
 */
@ExtendWith(RedisExtension.class)
class CredentialsIT {
  /** A password with '@', ':' and, in URLs, percent-escapes; no part of it may ever be printed. */
  private static final String SECRET = "Zq7-s3cret@pw:x";

  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";

  private static final String[][] COMMANDS = {
    {"producer", "submit", "--task", "greeter", "--payload", "{}"}, {"registry", "list"}, {"worker"}
  };

  @Test
  void aMalformedUrlIsShownMasked(TestRedis redis, @TempDir Path dir) {
    Executables bin =
        new Executables(
            Map.of(
                "REDIS_URL",
                "redis://admin:" + SECRET_IN_URL + "@127.0.0.1:99999/0",
                "TASK_QUEUE_KEY_PREFIX",
                redis.prefix()),
            dir);
    for (String[] command : COMMANDS) {
      for (String[] flags :
          new String[][] {{}, {"--verbose"}, {"--log-level", "trace", "--verbose"}}) {
        Result result = run(bin, command, flags);

        assertEquals(2, result.exitCode(), result.toString());
        assertEquals(
            command[0]
                + (command.length > 1 ? " " + command[1] : "")
                + ": invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0' from the environment"
                + " (port 99999 is outside 1-65535): expected"
                + " redis://[user:password@]host[:port][/db] for one server,"
                + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
                + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master"
                + " through Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS",
            result.stderr().lines().findFirst().orElse(""),
            result.toString());
        assertEquals(flags.length == 0, result.stderr().lines().count() == 1, result.toString());
        assertNoSecretIn(result.toString());
      }
    }
  }

  @Test
  void aWrongPasswordIsOneClearLine(@TempDir Path dir) {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      Executables bin =
          new Executables(Map.of("REDIS_URL", server.url("admin:Wr0ng-" + SECRET_IN_URL)), dir);
      for (String[] command : COMMANDS) {
        Result plain = run(bin, command);
        Result traced = run(bin, command, "--log-level", "trace", "--verbose");

        assertEquals(3, plain.exitCode(), plain.toString());
        assertEquals(
            command[0]
                + (command.length > 1 ? " " + command[1] : "")
                + ": cannot connect to Redis at redis://admin:***@127.0.0.1:"
                + server.port()
                + "/0 (WRONGPASS invalid username-password pair or user is disabled.): check the"
                + " user name and password in REDIS_URL\n",
            plain.stderr(),
            plain.toString());
        assertEquals("", plain.stdout(), plain.toString());
        assertEquals(3, traced.exitCode(), traced.toString());
        assertNoSecretIn(plain.toString());
        assertNoSecretIn(traced.toString());
      }
    }
  }

  @Test
  void theRightPasswordWorksAndIsNeverPrinted(@TempDir Path dir) throws Exception {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      String url = server.url(":" + SECRET_IN_URL);
      Executables bin =
          new Executables(
              Map.of(
                  "REDIS_URL",
                  url,
                  "TASK_QUEUE_KEY_PREFIX",
                  "tcred",
                  "TASK_QUEUE_WASM_LOG_DIR",
                  dir.resolve("wasm-logs").toString()),
              dir);
      String[] loud = {"--log-level", "trace", "--verbose"};
      Result upload =
          bin.run("registry", "", Map.of(), with(loud, "upload", E2e.sample("greeter.wasm") + ""));
      Result submit =
          bin.run(
              "producer",
              "",
              Map.of(),
              with(loud, "submit", "--task", "greeter", "--payload", "{\"name\":\"Ada\"}"));
      Path workerLog = dir.resolve("worker.log");
      Process worker = bin.start("worker", workerLog, loud);
      RedissonClient client =
          RedisConnector.connect(RedisUrl.parse(url), "credentials-it", 2, Duration.ofSeconds(5));
      try {
        assertEquals(0, upload.exitCode(), upload.toString());
        assertEquals(0, submit.exitCode(), submit.toString());
        TaskId id = TaskId.parse(submit.stdout().strip());
        TaskInspector tasks = new TaskInspector(new Redis(client), new Keys("tcred"));
        Optional<Task> done =
            Eventually.await(
                () -> tasks.find(id),
                t -> t.isPresent() && t.get().stage().isFinal(),
                Duration.ofSeconds(60),
                "task " + id + " finishing");
        assertEquals(Stage.COMPLETED, done.orElseThrow().stage());
      } finally {
        client.shutdown();
        assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)), "worker exits 0");
      }
      String log = Files.readString(workerLog);
      // Redisson at its most verbose logs each command it sends (at DEBUG in this version).
      assertTrue(log.contains("for command: ("), "the worker traced");
      assertTrue(upload.stderr().contains("for command: ("), "the registry traced");
      assertNoSecretIn(upload.toString());
      assertNoSecretIn(submit.toString());
      assertNoSecretIn(log);
    }
  }

  private static Result run(Executables bin, String[] command, String... flags) {
    List<String> args = new ArrayList<>(List.of(command).subList(1, command.length));
    args.addAll(List.of(flags));
    return bin.run(command[0], "", Map.of(), args.toArray(String[]::new));
  }

  private static String[] with(String[] flags, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(flags));
    return all.toArray(String[]::new);
  }

  private static void assertNoSecretIn(String output) {
    for (String form : new String[] {"Zq7", SECRET, SECRET_IN_URL}) {
      int at = output.indexOf(form);
      assertFalse(
          at >= 0,
          () ->
              "'"
                  + form
                  + "' printed: ..."
                  + output.substring(Math.max(0, at - 300), Math.min(output.length(), at + 100)));
    }
  }
}
