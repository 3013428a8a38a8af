package dev.taskqueue.producer;

import static dev.taskqueue.producer.CronAddRuns.NIGHTLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code producer cron add}: what it stores and prints, and what it refuses. The fixture's clock
 * stands at 2026-01-01T00:00:00Z, 01:00 in Berlin.
 */
@ExtendWith(RedisExtension.class)
class CronAddCliTest {
  @TempDir Path dir;
  private CliFixture cli;
  private Fixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    cli = new CliFixture(redis, dir);
    f = cli.f;
    f.publish("greeter", "greeter v1");
  }

  @Test
  void addStoresTheScheduleAndPrintsItsFirstFireTime() {
    Map<String, Object> before = f.state();

    CliRun run =
        cli.run(
            "",
            "cron",
            "add",
            "--name",
            "nightly",
            "--task",
            "greeter",
            "--payload",
            "{\"n\":1}",
            "--cron",
            NIGHTLY,
            "--tz",
            "Europe/Berlin",
            "--queue",
            "reports",
            "--catch-up",
            "skip",
            "--max-retries",
            "1",
            "--timeout",
            "1m",
            "--retry-backoff",
            "2s..10s");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        "added schedule nightly: first fire at 2026-01-01T02:00:00+01:00 (Europe/Berlin)\n",
        run.out());
    assertEquals("", run.stderr());
    long first = Instant.parse("2026-01-01T01:00:00Z").toEpochMilli();
    Map<String, Object> added = new TreeMap<>(f.state());
    added.keySet().removeAll(before.keySet());
    Map<String, String> hash = new TreeMap<>(f.hash(f.keys.schedule("reports", "nightly")));
    assertTrue(hash.remove("add_id").matches("[0-9a-f]{16}"), "a random add id");
    assertEquals(
        Map.ofEntries(
            Map.entry("name", "nightly"),
            Map.entry("queue", "reports"),
            Map.entry("task", "greeter"),
            Map.entry("payload", "{\"n\":1}"),
            Map.entry("cron", NIGHTLY),
            Map.entry("tz", "Europe/Berlin"),
            Map.entry("catch_up", "skip"),
            Map.entry("max_retries", "1"),
            Map.entry("retry_backoff_base_ms", "2000"),
            Map.entry("retry_backoff_cap_ms", "10000"),
            Map.entry("timeout_ms", "60000"),
            Map.entry("created_at", Long.toString(f.clock.millis())),
            Map.entry("next_fire_at", Long.toString(first)),
            Map.entry("paused", "0"),
            Map.entry("fired", "0")),
        hash);
    assertEquals(
        Set.of(
            f.keys.queues(),
            f.keys.scheduleNames(),
            f.keys.schedules("reports"),
            f.keys.schedule("reports", "nightly")),
        added.keySet());
    assertEquals(Set.of("reports"), added.get(f.keys.queues()));
    assertEquals(
        Map.of("nightly", "reports " + f.clock.millis()), added.get(f.keys.scheduleNames()));
    assertEquals(Map.of("nightly", (double) first), added.get(f.keys.schedules("reports")));
  }

  @Test
  void addTakesUtcAndTheUnixFormByDefault() {
    CliRun run = CronAddRuns.add(cli, "hourly", "0 * * * *");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("added schedule hourly: first fire at 2026-01-01T01:00:00Z (UTC)\n", run.out());
    Map<String, String> hash = f.hash(f.keys.schedule("default", "hourly"));
    assertEquals("UTC", hash.get("tz"));
    assertEquals("fire-once", hash.get("catch_up"));
    assertEquals("3", hash.get("max_retries"));
  }

  static Stream<Arguments> refusals() {
    String help = " (see 'producer cron add --help')";
    return Stream.of(
        refusal(
            "an invalid expression",
            2,
            "producer cron add: cron expression '0 0 25 * * *' is not valid: Value 25 not in"
                + " range [0, 23]; each field takes a value, *, a range a-b, a list a,b or a step"
                + " */n; second and minute take 0-59, hour 0-23, day 1-31, month 1-12 or JAN to"
                + " DEC, weekday 0-7 or SUN to SAT (0 and 7 are Sunday)",
            "--cron",
            "0 0 25 * * *"),
        refusal(
            "an expression that never fires",
            2,
            "producer cron add: cron expression '0 0 0 30 2 *' never fires: check its day and"
                + " month fields (a 30 February, say)",
            "--cron",
            "0 0 0 30 2 *"),
        refusal(
            "too few fields",
            2,
            "producer cron add: cron expression '* * *' has 3 fields: give 6 (second minute hour"
                + " day month weekday, as in '0 0 2 * * *') or 5 (minute hour day month weekday,"
                + " as in '0 2 * * *')",
            "--cron",
            "* * *"),
        refusal(
            "an unknown zone",
            2,
            "producer cron add: unknown time zone 'Mars/Olympus': give an IANA name such as"
                + " Europe/Berlin, or UTC",
            "--cron",
            NIGHTLY,
            "--tz",
            "Mars/Olympus"),
        refusal(
            "an unknown task",
            4,
            "producer cron add: unknown task 'nosuch': no module is registered under that name;"
                + " upload one with 'registry upload --name nosuch FILE.wasm' or see 'registry"
                + " list'",
            "--cron",
            NIGHTLY,
            "--task",
            "nosuch"),
        refusal(
            "a bad name",
            2,
            "producer cron add: schedule name 'a:b' is invalid: use 1-64 letters, digits, '_', '.'"
                + " or '-', starting with a letter or digit",
            "--cron",
            NIGHTLY,
            "--name",
            "a:b"),
        refusal(
            "an unknown catch-up policy",
            2,
            "producer cron add: catch-up policy 'sometimes' is unknown: give fire-once, skip, all",
            "--cron",
            NIGHTLY,
            "--catch-up",
            "sometimes"),
        refusal(
            "a payload that is not JSON",
            2,
            "producer cron add: payload is not valid JSON: Unexpected character ('}' (code 125)):"
                + " expected a value at line 1, column 6: pass a JSON value such as"
                + " {\"name\":\"Ada\"}",
            "--cron",
            NIGHTLY,
            "--payload",
            "{\"n\":}"),
        refusal(
            "a bad queue",
            2,
            "producer cron add: queue name 'a:b' is invalid: use 1-64 letters, digits, '_', '.' or"
                + " '-', starting with a letter or digit",
            "--cron",
            NIGHTLY,
            "--queue",
            "a:b"),
        refusal(
            "a timeout out of range",
            2,
            "producer cron add: timeout 25h is out of range: give a duration from 10ms to 24h,"
                + " such as 30s or 5m",
            "--cron",
            NIGHTLY,
            "--timeout",
            "25h"),
        refusal(
            "no expression",
            2,
            "producer cron add: Missing required option: '--cron=EXPRESSION'" + help),
        refusal(
            "a run-at time",
            2,
            "producer cron add: Unknown options: '--in', '10m'" + help,
            "--cron",
            NIGHTLY,
            "--in",
            "10m"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void addRefusesWithOneLineAndWritesNothing(
      String label, int exitCode, String message, String[] flags) {
    Map<String, Object> before = f.state();

    CliRun run = cli.run("", CronAddRuns.args(List.of(flags)));

    assertEquals(message + (exitCode == 4 ? cli.lookedIn() : "") + "\n", run.stderr());
    assertEquals(exitCode, run.exitCode());
    assertEquals("", run.out());
    assertEquals(before, f.state());
  }

  @Test
  void aNameIsTakenOnceAcrossQueues() {
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY).exitCode());
    Map<String, Object> before = f.state();

    CliRun again = CronAddRuns.add(cli, "nightly", "0 0 3 * * *", "--queue", "emails");

    assertEquals(5, again.exitCode());
    assertEquals(
        "producer cron add: schedule 'nightly' exists already (queue default): choose another"
            + " name, or remove it first with 'producer cron rm nightly'\n",
        again.stderr());
    assertEquals("", again.out());
    assertEquals(before, f.state());
  }

  private static Arguments refusal(String label, int exitCode, String message, String... flags) {
    return Arguments.of(label, exitCode, message, flags);
  }
}
