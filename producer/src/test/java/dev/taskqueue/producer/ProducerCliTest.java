package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.logging.Logging;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable as shipped: {@code new ProducerCommand()}, which opens its own Redis connection
 * from the settings, and the commands every executable has.
 */
@ExtendWith(RedisExtension.class)
class ProducerCliTest {
  /** A password with '@', ':' and, in URLs, percent-escapes; no part of it may ever be printed. */
  private static final String SECRET = "Zq7-s3cret@pw:x";

  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    cli = new CliFixture(redis, dir);
    cli.f.publish("greeter", "greeter v1");
  }

  @Test
  void submitsAndReadsBackOverItsOwnConnection() {
    CliRun submit =
        CliRun.of(
            new ProducerCommand(),
            "",
            cli.withSettings("submit", "--task", "greeter", "--payload", "{}"));
    TaskId id = TaskId.parse(submit.out().strip());
    CliRun status = CliRun.of(new ProducerCommand(), "", cli.withSettings("status", id.value()));

    assertEquals(0, submit.exitCode(), submit.stderr());
    assertEquals(0, status.exitCode(), status.stderr());
    assertTrue(status.out().startsWith("id:       " + id + "\ntask:     greeter\n"));
    assertEquals("", submit.stderr() + status.stderr());
  }

  @Test
  void aBadRedisUrlSettingStopsItBeforeConnecting() {
    Map<String, Object> before = cli.f.state();

    CliRun run =
        CliRun.of(
            new ProducerCommand(),
            "",
            cli.withEnvFile(
                "submit",
                "--task",
                "greeter",
                "--payload",
                "{}",
                "--redis-url",
                "http://127.0.0.1:6379"));

    assertEquals(2, run.exitCode());
    assertEquals(
        "producer submit: invalid REDIS_URL='http://127.0.0.1:6379' from --redis-url"
            + " (the scheme must be redis, rediss, redis-cluster, rediss-cluster, redis-sentinel"
            + " or rediss-sentinel): expected"
            + " redis://[user:password@]host[:port][/db] for one server,"
            + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
            + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master through"
            + " Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS\n",
        run.stderr());
    assertEquals(before, cli.f.state());
  }

  @Test
  void saysWhenRedisIsNotRunning() {
    int port = RedisServer.unusedPort();

    CliRun run =
        CliRun.of(
            new ProducerCommand(),
            "",
            cli.withEnvFile(
                "submit",
                "--task",
                "greeter",
                "--payload",
                "{}",
                "--redis-url",
                "redis://127.0.0.1:" + port + "/0"));

    assertEquals(3, run.exitCode());
    assertTrue(
        run.stderr()
            .startsWith("producer submit: cannot connect to Redis at redis://127.0.0.1:" + port),
        run.stderr());
    assertEquals(1, run.stderr().lines().count(), run.stderr());
    assertEquals("", run.out());
  }

  @Test
  void badInputIsReportedEvenWhenRedisIsDown() {
    CliRun run =
        CliRun.of(
            new ProducerCommand(),
            "",
            cli.withEnvFile(
                "submit",
                "--task",
                "greeter",
                "--payload",
                "{oops}",
                "--redis-url",
                "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0"));

    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().startsWith("producer submit: payload is not valid JSON: "));
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"submit", "--help"},
          {"status", "--help"},
          {"result", "--help"},
          {"dlq", "--help"},
          {"dlq", "list", "--help"},
          {"dlq", "show", "--help"},
          {"dlq", "replay", "--help"},
          {"dlq", "purge", "--help"},
          {"cancel", "--help"},
          {"scheduled", "--help"},
          {"cron", "--help"},
          {"cron", "add", "--help"},
          {"cron", "list", "--help"},
          {"cron", "show", "--help"},
          {"cron", "rm", "--help"},
          {"cron", "pause", "--help"},
          {"cron", "resume", "--help"}
        }) {
      CliRun run = CliRun.of(new ProducerCommand(), "", args);
      assertEquals(0, run.exitCode(), String.join(" ", args));
      assertTrue(run.out().startsWith("Usage: producer"), run.out());
    }
    for (String[] args :
        new String[][] {
          {"submit", "--version"}, {"dlq", "purge", "--version"}, {"cron", "add", "--version"}
        }) {
      CliRun version = CliRun.of(new ProducerCommand(), "", args);
      assertTrue(version.out().startsWith("task-queue "), version.out());
    }
  }

  @Test
  void generatesABashCompletionScript() {
    CliRun run = CliRun.of(new ProducerCommand(), "", "generate-completion");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.out().startsWith("#!/usr/bin/env bash"), run.out());
    assertTrue(run.out().contains("submit"));
    assertTrue(run.out().contains("replay"));
    assertTrue(run.out().contains("resume"));
  }

  @Test
  void settingsComeFromTheFixtureNeverFromTheMachine() {
    String[] submit = {"submit", "--task", "greeter", "--payload", "{}"};
    String down = "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0";

    CliRun immune = cli.run("", submit);

    assertEquals(0, immune.exitCode(), immune.stderr());
    for (Setting<?> setting : Settings.ALL) {
      assertNotEquals("the environment", cli.lastConfig.source(setting), setting.name());
    }
    // The same runs, had these been exported on the machine:
    CliRun bogus = cli.runIn(Map.of("TASK_QUEUE_BOGUS", "1"), "", submit);
    CliRun small = cli.runIn(Map.of("TASK_QUEUE_MAX_PAYLOAD_BYTES", "1"), "", submit);
    CliRun elsewhere =
        CliRun.of(new ProducerCommand(), Map.of("REDIS_URL", down), "", cli.withEnvFile(submit));
    assertEquals(2, bogus.exitCode());
    assertTrue(bogus.stderr().startsWith("producer submit: unknown setting TASK_QUEUE_BOGUS"));
    assertEquals(2, small.exitCode());
    assertTrue(small.stderr().contains("TASK_QUEUE_MAX_PAYLOAD_BYTES"), small.stderr());
    assertEquals(3, elsewhere.exitCode());
    assertTrue(elsewhere.stderr().contains("cannot connect to Redis at " + down));
  }

  @Test
  void onlyTheVerboseOptionShowsAStackTraceNotAValueSpeltSo() {
    // After "--" every word is an argument: this one is the task id.
    CliRun value =
        CliRun.of(new ProducerCommand(), "", concat(cli.withSettings("status"), "--", "--verbose"));
    CliRun option =
        CliRun.of(new ProducerCommand(), "", cli.withSettings("status", "--verbose", "nope"));

    assertEquals(2, value.exitCode());
    assertEquals(1, value.stderr().lines().count(), value.stderr());
    assertTrue(value.stderr().startsWith("producer status: "), value.stderr());
    assertEquals(2, option.exitCode());
    assertTrue(option.stderr().contains("\tat dev.taskqueue."), option.stderr());
  }

  @Test
  void aMalformedUrlNeverShowsItsPassword() {
    String url = "redis://admin:" + SECRET_IN_URL + "@127.0.0.1:99999/0";
    String[] submit = {"submit", "--task", "greeter", "--payload", "{}"};
    List<CliRun> runs =
        List.of(
            CliRun.of(new ProducerCommand(), Map.of("REDIS_URL", url), "", cli.withEnvFile(submit)),
            CliRun.of(
                new ProducerCommand(),
                Map.of("REDIS_URL", url),
                "",
                cli.withEnvFile(concat(submit, "--verbose", "--log-level", "trace"))),
            CliRun.of(
                new ProducerCommand(),
                "",
                cli.withEnvFile(
                    concat(submit, "--redis-url", url, "--verbose", "--log-level", "trace"))));

    for (CliRun run : runs) {
      assertEquals(2, run.exitCode(), run.stderr());
      assertTrue(
          run.stderr()
              .startsWith(
                  "producer submit: invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0'"),
          run.stderr());
      assertNoSecretIn(run);
    }
    assertTrue(runs.get(1).stderr().contains("\tat dev.taskqueue."), runs.get(1).stderr());
  }

  @Test
  void aPasswordProtectedRedisNeverShowsThePassword() {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      String[] status = {"status", "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90"};
      CliRun wrong =
          CliRun.of(
              new ProducerCommand(),
              "",
              cli.withEnvFile(
                  concat(status, "--redis-url", server.url("admin:Wr0ng-" + SECRET_IN_URL))));
      CliRun right =
          CliRun.of(
              new ProducerCommand(),
              "",
              cli.withEnvFile(
                  concat(
                      status,
                      "--redis-url",
                      server.url(":" + SECRET_IN_URL),
                      "--key-prefix",
                      cli.f.redis.prefix(),
                      "--log-level",
                      "trace",
                      "--verbose")));

      assertEquals(3, wrong.exitCode(), wrong.stderr());
      assertEquals(
          "producer status: cannot connect to Redis at redis://admin:***@127.0.0.1:"
              + server.port()
              + "/0 (WRONGPASS invalid username-password pair or user is disabled.): check the"
              + " user name and password in REDIS_URL\n",
          wrong.stderr());
      assertNoSecretIn(wrong);
      assertEquals(4, right.exitCode(), "connected, found no such task: " + right.stderr());
      // Redisson at its most verbose logs each command it sends (at DEBUG in this version).
      assertTrue(right.stderr().contains("for command: ("), "traced:\n" + right.stderr());
      assertNoSecretIn(right);
    } finally {
      Logging.configure("warn", "pretty", Logging.Target.STDERR);
    }
  }

  @Test
  void aBareProducerAsksForACommand() {
    CliRun run = CliRun.of(new ProducerCommand(), "");

    assertEquals(2, run.exitCode());
    assertEquals("producer: Missing required subcommand (see 'producer --help')\n", run.stderr());
  }

  private static String[] concat(String[] first, String... rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  private static void assertNoSecretIn(CliRun run) {
    for (String form : new String[] {"Zq7", SECRET, SECRET_IN_URL}) {
      assertFalse(run.out().contains(form), "'" + form + "' on stdout:\n" + run.out());
      assertFalse(run.stderr().contains(form), "'" + form + "' on stderr:\n" + run.stderr());
    }
  }
}
