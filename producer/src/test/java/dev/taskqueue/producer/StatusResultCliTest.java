package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer status} and {@code producer result}, in both forms, at every stage. */
@ExtendWith(RedisExtension.class)
class StatusResultCliTest {
  private static final String UNKNOWN = "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90";

  @TempDir Path dir;
  private CliFixture cli;
  private Fixture f;
  private ModuleVersion greeter;

  @BeforeEach
  void setUp(TestRedis redis) {
    cli = new CliFixture(redis, dir);
    f = cli.f;
    greeter = f.publish("greeter", "greeter v1");
  }

  @Test
  void statusFindsWhatSubmitPrinted() {
    TaskId id = submit();

    CliRun run = cli.run("", "status", id.value());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        "id:       "
            + id
            + "\ntask:     greeter\nqueue:    default\nstage:    pending\n"
            + "attempts: 0 (max retries 3)\nbackoff:  1s..5m\ntimeout:  30s\n"
            + "module:   v1 sha256:"
            + ModuleDigest.shortForm(greeter.digest())
            + "\ncreated:  2026-01-01T00:00:00Z\n",
        run.out());
    assertEquals("", run.stderr());
  }

  @Test
  void aCompletedTaskShowsItsWholeStoryAndItsResult() {
    TaskId id = submit();
    complete(id, "{\"greeting\":\"Hello, Ada\"}".getBytes(StandardCharsets.UTF_8));

    CliRun status = cli.run("", "status", id.value());
    CliRun json = cli.run("", "status", id.value(), "--json");
    CliRun result = cli.run("", "result", id.value());
    CliRun resultJson = cli.run("", "result", id.value(), "--json");

    assertEquals(
        "id:       "
            + id
            + "\ntask:     greeter\nqueue:    default\nstage:    completed\n"
            + "attempts: 1 (max retries 3)\nbackoff:  1s..5m\ntimeout:  30s\n"
            + "module:   v1 sha256:"
            + ModuleDigest.shortForm(greeter.digest())
            + "\ncreated:  2026-01-01T00:00:00Z\nstarted:  2026-01-01T00:00:01Z\n"
            + "finished: 2026-01-01T00:00:01.250Z\nworker:   w1 on host-1\nlog:      /logs/"
            + id
            + ".log\nhistory:\n  #1  completed  2026-01-01T00:00:01.000Z → 2026-01-01T00:00:01.250Z"
            + " (250ms)  w1  host-1  -  /logs/"
            + id
            + ".log\n",
        status.out());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"queue\":\"default\",\"name\":\"greeter\",\"module_digest\":\""
            + greeter.digest()
            + "\",\"module_version\":1,\"kind\":\"immediate\",\"stage\":\"completed\","
            + "\"payload\":\"{\\\"name\\\":\\\"Ada\\\"}\",\"attempts\":1,\"max_retries\":3,"
            + "\"retry_backoff_base_ms\":1000,\"retry_backoff_cap_ms\":300000,"
            + "\"timeout_ms\":30000,\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"started_at\":\"2026-01-01T00:00:01Z\","
            + "\"finished_at\":\"2026-01-01T00:00:01.250Z\","
            + "\"worker_id\":\"w1\",\"worker_host\":\"host-1\",\"lease_token\":1,"
            + "\"result\":\"{\\\"greeting\\\":\\\"Hello, Ada\\\"}\",\"result_encoding\":\"utf-8\","
            + "\"log_path\":\"/logs/"
            + id
            + ".log\",\"attempts_history\":[{\"attempt\":1,"
            + "\"lease_token\":1,\"outcome\":\"completed\","
            + "\"started_at\":\"2026-01-01T00:00:01Z\",\"ended_at\":\"2026-01-01T00:00:01.250Z\","
            + "\"worker\":\"w1\",\"host\":\"host-1\",\"log\":\"/logs/"
            + id
            + ".log\"}]}\n",
        json.out());
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals("{\"greeting\":\"Hello, Ada\"}\n", result.out());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"stage\":\"completed\",\"result\":\"{\\\"greeting\\\":\\\"Hello, Ada\\\"}\","
            + "\"result_encoding\":\"utf-8\",\"error\":null}\n",
        resultJson.out());
    assertEquals(0, resultJson.exitCode());
  }

  @Test
  void aBinaryResultIsPrintedAsItsRawBytes() {
    TaskId id = submit();
    byte[] bytes = {(byte) 0xff, 0, 1, '\n', (byte) 0x80};
    complete(id, bytes);

    CliRun result = cli.run("", "result", id.value());
    CliRun json = cli.run("", "result", id.value(), "--json");

    assertEquals(0, result.exitCode(), result.stderr());
    assertArrayEquals(bytes, result.stdout());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"stage\":\"completed\",\"result\":\"/wABCoA=\",\"result_encoding\":\"base64\","
            + "\"error\":null}\n",
        json.out());
  }

  @Test
  void anUnfinishedTaskHasNoResultYet() {
    TaskId id = submit();

    CliRun pending = cli.run("", "result", id.value());
    f.claim("default", id);
    CliRun running = cli.run("", "result", id.value());
    CliRun json = cli.run("", "result", id.value(), "--json");

    assertEquals(1, pending.exitCode());
    assertEquals("", pending.out());
    assertEquals(
        "producer result: task "
            + id
            + " is pending; no result yet (see 'producer status "
            + id
            + "')\n",
        pending.stderr());
    assertEquals(1, running.exitCode());
    assertEquals(
        "producer result: task "
            + id
            + " is in_progress; no result yet (see 'producer status "
            + id
            + "')\n",
        running.stderr());
    assertEquals(1, json.exitCode());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"stage\":\"in_progress\",\"result\":null,\"result_encoding\":null,"
            + "\"error\":null}\n",
        json.out());
  }

  @Test
  void aRetryingTaskShowsItsErrorAndWhenItRunsAgain() {
    TaskId id = submit();
    f.fail("default", id, "trap: unreachable executed in execute");

    CliRun result = cli.run("", "result", id.value());
    CliRun status = cli.run("", "status", id.value());
    CliRun json = cli.run("", "result", id.value(), "--json");
    CliRun statusJson = cli.run("", "status", id.value(), "--json");

    assertEquals(1, result.exitCode());
    assertEquals("", result.out());
    assertTrue(
        statusJson.out().contains(",\"run_at\":\"2026-01-01T00:00:01.750Z\","), statusJson.out());
    assertTrue(
        statusJson.out().contains("\"retry_at\":\"2026-01-01T00:00:01.750Z\"}]}"),
        statusJson.out());
    // The first retry waits half (the fixture's jitter) of the 1s base.
    assertEquals(
        "producer result: task "
            + id
            + " failed its attempt 1 and will be retried at 2026-01-01T00:00:01.750Z: trap:"
            + " unreachable executed in execute (see 'producer status "
            + id
            + "')\n",
        result.stderr());
    assertEquals(
        "id:       "
            + id
            + "\ntask:     greeter\nqueue:    default\nstage:    retrying\n"
            + "attempts: 1 (max retries 3)\nbackoff:  1s..5m\nretry at: 2026-01-01T00:00:01.750Z\n"
            + "timeout:  30s\nmodule:   v1 sha256:"
            + ModuleDigest.shortForm(greeter.digest())
            + "\ncreated:  2026-01-01T00:00:00Z\nstarted:  2026-01-01T00:00:01Z\n"
            + "error:    trap: unreachable executed in execute\nlog:      /logs/"
            + id
            + ".log\nhistory:\n  #1  failed  2026-01-01T00:00:01.000Z → 2026-01-01T00:00:01.250Z"
            + " (250ms)  w1  host-1  trap: unreachable executed in execute  /logs/"
            + id
            + ".log\n",
        status.out());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"stage\":\"retrying\",\"result\":null,\"result_encoding\":null,"
            + "\"error\":\"trap: unreachable executed in execute\"}\n",
        json.out());
  }

  @Test
  void aDeadTaskShowsEveryAttemptItMade() {
    TaskId id = submit("--max-retries", "1", "--retry-backoff", "2s..10s", "--timeout", "1m");
    f.fail("default", id, "trap: unreachable");
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(1, f.promoter.promote("default", 10), "its retry is due");
    f.fail(
        "default", id, "out of fuel after 10000000 instructions, which is the limit\nat execute");

    CliRun status = cli.run("", "status", id.value());
    CliRun json = cli.run("", "status", id.value(), "--json");
    CliRun result = cli.run("", "result", id.value());

    String log = "/logs/" + id + ".log";
    assertEquals(
        "id:       "
            + id
            + "\ntask:     greeter\nqueue:    default\nstage:    dead\n"
            + "attempts: 2 (max retries 1)\nbackoff:  2s..10s\ntimeout:  1m\nmodule:   v1 sha256:"
            + ModuleDigest.shortForm(greeter.digest())
            + "\ncreated:  2026-01-01T00:00:00Z\nstarted:  2026-01-01T00:00:03.250Z\n"
            + "finished: 2026-01-01T00:00:03.500Z\nworker:   w1 on host-1\n"
            + "error:    out of fuel after 10000000 instructions, which is the limit\n"
            + "          at execute\nlog:      "
            + log
            + "\nhistory:\n"
            + "  #1  failed  2026-01-01T00:00:01.000Z → 2026-01-01T00:00:01.250Z (250ms)  w1"
            + "  host-1  trap: unreachable"
            + " ".repeat(60 - 17) // padded to the error cut at 60 characters
            + "  "
            + log
            + "\n  #2  failed  2026-01-01T00:00:03.250Z → 2026-01-01T00:00:03.500Z (250ms)  w1"
            + "  host-1  out of fuel after 10000000 instructions, which is the lim...  "
            + log
            + "\n",
        status.out());
    assertEquals(
        "{\"id\":\""
            + id
            + "\",\"queue\":\"default\",\"name\":\"greeter\",\"module_digest\":\""
            + greeter.digest()
            + "\",\"module_version\":1,\"kind\":\"immediate\",\"stage\":\"dead\","
            + "\"payload\":\"{\\\"name\\\":\\\"Ada\\\"}\",\"attempts\":2,\"max_retries\":1,"
            + "\"retry_backoff_base_ms\":2000,\"retry_backoff_cap_ms\":10000,"
            + "\"timeout_ms\":60000,\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"started_at\":\"2026-01-01T00:00:03.250Z\","
            + "\"finished_at\":\"2026-01-01T00:00:03.500Z\","
            + "\"worker_id\":\"w1\",\"worker_host\":\"host-1\",\"lease_token\":2,"
            + "\"error\":\"out of fuel after 10000000 instructions, "
            + "which is the limit\\nat execute\","
            + "\"log_path\":\""
            + log
            + "\",\"attempts_history\":["
            + "{\"attempt\":1,\"lease_token\":1,\"outcome\":\"failed\","
            + "\"started_at\":\"2026-01-01T00:00:01Z\",\"ended_at\":\"2026-01-01T00:00:01.250Z\","
            + "\"worker\":\"w1\",\"host\":\"host-1\",\"error\":\"trap: unreachable\",\"log\":\""
            + log
            + "\",\"retry_at\":\"2026-01-01T00:00:02.250Z\"},"
            + "{\"attempt\":2,\"lease_token\":2,\"outcome\":\"failed\","
            + "\"started_at\":\"2026-01-01T00:00:03.250Z\","
            + "\"ended_at\":\"2026-01-01T00:00:03.500Z\","
            + "\"worker\":\"w1\",\"host\":\"host-1\","
            + "\"error\":\"out of fuel after 10000000 instructions, "
            + "which is the limit\\nat execute\","
            + "\"log\":\""
            + log
            + "\"}]}\n",
        json.out());
    assertEquals(1, result.exitCode());
    assertEquals(
        "producer result: task "
            + id
            + " is dead, its retries spent: out of fuel after 10000000 instructions, which is the"
            + " limit... (see 'producer dlq show "
            + id
            + "'; 'producer dlq replay "
            + id
            + "' runs it again)\n",
        result.stderr());
  }

  @Test
  void aTaskDeadWithRetriesLeftIsNotSaidToHaveSpentThem() {
    TaskId id = submit("--max-retries", "3");
    f.clock.advance(Duration.ofSeconds(1));
    Lease lease = f.claim("default", id);
    f.recorder.endAll(
        List.of(
            AttemptOutcome.failedForGood(
                lease, "cannot load module greeter v1: not retried", Optional.empty())));

    CliRun result = cli.run("", "result", id.value());

    assertEquals(1, result.exitCode());
    assertEquals(
        "producer result: task "
            + id
            + " is dead: cannot load module greeter v1: not retried (see 'producer dlq show "
            + id
            + "'; 'producer dlq replay "
            + id
            + "' runs it again)\n",
        result.stderr());
  }

  @Test
  void aBadOrUnknownIdIsOneLineAndItsOwnExitCode() {
    Map<String, Object> before = f.state();

    CliRun malformed = cli.run("", "status", "42");
    CliRun unknown = cli.run("", "status", UNKNOWN);
    CliRun noResult = cli.run("", "result", UNKNOWN, "--json");

    assertEquals(2, malformed.exitCode());
    assertEquals(
        "producer status: task id '42' is not a task id: expected the UUID that 'producer"
            + " submit' printed, e.g. 0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90\n",
        malformed.stderr());
    assertEquals(4, unknown.exitCode());
    assertEquals(
        "producer status: task "
            + UNKNOWN
            + " not found: no queue under key prefix '"
            + f.redis.prefix()
            + "' has it; check the id, and TASK_QUEUE_KEY_PREFIX or --key-prefix if it was"
            + " submitted under another prefix"
            + cli.lookedIn()
            + "\n",
        unknown.stderr());
    assertEquals(4, noResult.exitCode());
    assertEquals("", noResult.out());
    assertEquals(before, f.state());
  }

  private TaskId submit(String... flags) {
    List<String> args =
        new ArrayList<>(List.of("submit", "--task", "greeter", "--payload", "{\"name\":\"Ada\"}"));
    args.addAll(List.of(flags));
    CliRun run = cli.run("", args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return TaskId.parse(run.out().strip());
  }

  /** What a worker does: claim one second after submission, finish 250 ms later. */
  private void complete(TaskId id, byte[] result) {
    f.clock.advance(Duration.ofSeconds(1));
    Lease lease = f.claim("default", id);
    f.clock.advance(Duration.ofMillis(250));
    f.recorder.complete(lease, TaskResult.of(result), Optional.of("/logs/" + id + ".log"));
  }
}
