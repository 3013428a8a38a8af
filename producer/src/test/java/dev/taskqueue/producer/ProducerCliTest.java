package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
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
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{}",
            "--redis-url",
            "http://127.0.0.1:6379");

    assertEquals(2, run.exitCode());
    assertEquals(
        "producer submit: invalid REDIS_URL='http://127.0.0.1:6379' from --redis-url"
            + " (the scheme must be redis or rediss): expected"
            + " redis://[user:password@]host[:port][/db] or rediss://... for TLS\n",
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
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{}",
            "--redis-url",
            "redis://127.0.0.1:" + port + "/0");

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
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{oops}",
            "--redis-url",
            "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0");

    assertEquals(2, run.exitCode());
    assertTrue(run.stderr().startsWith("producer submit: payload is not valid JSON: "));
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String[] args :
        new String[][] {
          {"--help"}, {"submit", "--help"}, {"status", "--help"}, {"result", "--help"}
        }) {
      CliRun run = CliRun.of(new ProducerCommand(), "", args);
      assertEquals(0, run.exitCode(), String.join(" ", args));
      assertTrue(run.out().startsWith("Usage: producer"), run.out());
    }
    CliRun version = CliRun.of(new ProducerCommand(), "", "submit", "--version");
    assertTrue(version.out().startsWith("task-queue "), version.out());
  }

  @Test
  void generatesABashCompletionScript() {
    CliRun run = CliRun.of(new ProducerCommand(), "", "generate-completion");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.out().startsWith("#!/usr/bin/env bash"), run.out());
    assertTrue(run.out().contains("submit"));
  }

  @Test
  void aBareProducerAsksForACommand() {
    CliRun run = CliRun.of(new ProducerCommand(), "");

    assertEquals(2, run.exitCode());
    assertEquals("producer: Missing required subcommand (see 'producer --help')\n", run.stderr());
  }
}
