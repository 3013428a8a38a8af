package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code rediss://} with every executable, against a redis-server that speaks only TLS,
 * its certificate signed by a CA made here: trusted through {@code TASK_QUEUE_REDIS_TLS_CA}, and
 * refused, with one clear line, without it.
 */
class TlsIT {
  @TempDir Path dir;
  private Process redis;
  private int port;

  @BeforeEach
  void startRedisWithTlsOnly() throws Exception {
    TestCertificates certificates = TestCertificates.create(dir);
    port = RedisServer.unusedPort();
    redis =
        new ProcessBuilder(serverCommand(certificates))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    Eventually.await(
        () -> Files.exists(dir.resolve("redis.log")) && log().contains("Ready to accept"),
        ready -> ready,
        Duration.ofSeconds(30),
        "redis-server with TLS started");
  }

  @AfterEach
  void stopRedis() throws InterruptedException {
    redis.destroy();
    redis.waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void everyExecutableTalksTlsTrustingTheGivenCa() throws Exception {
    Executables bin = executables(dir.resolve("ca.crt").toString());
    Result upload = bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    List<Process> processes = bin.startAll(dir, "worker", "scheduler", "reaper");
    try {
      Result submit =
          bin.run("producer", "submit", "--task", "greeter", "--payload", "{\"name\":\"Ada\"}");
      assertEquals(0, submit.exitCode(), submit.toString());
      String id = submit.stdout().strip();
      Result later =
          bin.run("producer", "submit", "--task", "greeter", "--payload", "{}", "--in", "1s");
      assertEquals(0, later.exitCode(), later.toString());

      for (String task : List.of(id, later.stdout().strip())) {
        Result done =
            Eventually.await(
                () -> bin.run("producer", "result", task),
                r -> r.exitCode() == 0,
                Duration.ofSeconds(60),
                "task " + task + " completed over TLS");
        assertTrue(done.stdout().startsWith("{\"greeting\":\"Hello, "), done.toString());
      }
      Result workers = bin.run("producer", "workers");
      assertEquals(0, workers.exitCode(), workers.toString());
      assertEquals(2, workers.stdout().lines().count(), "one worker: " + workers);
    } finally {
      Executables.terminateAll(processes);
    }
  }

  @Test
  void withoutTheCaTheServerIsNotTrustedAndABadCaFileIsNamed() {
    Result untrusted = executables("").run("producer", "stats");
    Result missing = executables(dir.resolve("no-such.pem").toString()).run("producer", "stats");

    assertEquals(3, untrusted.exitCode(), untrusted.toString());
    assertTrue(
        untrusted.stderr().startsWith("producer stats: cannot connect to Redis at rediss://"),
        untrusted.toString());
    assertTrue(
        untrusted
            .stderr()
            .endsWith(
                "(unable to find valid certification path to requested target): the server's TLS"
                    + " certificate is not trusted: set TASK_QUEUE_REDIS_TLS_CA to a PEM file of"
                    + " the CA that signed it\n"),
        untrusted.toString());
    assertEquals(1, untrusted.stderr().lines().count(), untrusted.toString());
    assertEquals(2, missing.exitCode(), missing.toString());
    assertTrue(
        missing.stderr().contains("TASK_QUEUE_REDIS_TLS_CA '" + dir.resolve("no-such.pem")),
        missing.toString());
  }

  private Executables executables(String ca) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", "rediss://127.0.0.1:" + port + "/0");
    env.put("TASK_QUEUE_REDIS_TLS_CA", ca);
    env.put("TASK_QUEUE_KEY_PREFIX", "ttls");
    env.put("TASK_QUEUE_WASM_LOG_DIR", dir.resolve("wasm-logs").toString());
    return new Executables(env, dir);
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** A TLS-only redis-server: no plain port. */
  private List<String> serverCommand(TestCertificates certificates) {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", "0"));
    command.addAll(certificates.serverArgs(port));
    command.addAll(List.of("--save", "", "--appendonly", "no"));
    return command;
  }
}
