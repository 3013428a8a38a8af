package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * {@code producer submit --at | --in}, {@code producer scheduled}, and how status and result show a
 * task that waits for its time. The fixture's clock stands at 2026-01-01T00:00:00Z.
 */
@ExtendWith(RedisExtension.class)
class SubmitLaterCliTest {
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
  void atPutsTheTaskInTheScheduledSetAtThatTime() {
    Map<String, Object> before = f.state();

    TaskId id = submit("default", "--at", "2026-12-01T09:00:00+01:00");

    long runAt = Instant.parse("2026-12-01T08:00:00Z").toEpochMilli();
    Map<String, Object> added = new TreeMap<>(f.state());
    added.keySet().removeAll(before.keySet());
    Map<String, Object> expected =
        Map.of(
            f.keys.queues(), Set.of("default"),
            f.keys.scheduled("default"), Map.of(id.value(), (double) runAt),
            f.keys.open("default"), Map.of("greeter", "1"),
            f.keys.stats("default"), Map.of("submitted:greeter", "1"),
            f.keys.modules("default"), Map.of("greeter", "1 " + greeter.digest()),
            f.keys.task("default", id),
                Map.ofEntries(
                    Map.entry("id", id.value()),
                    Map.entry("queue", "default"),
                    Map.entry("name", "greeter"),
                    Map.entry("module_digest", greeter.digest()),
                    Map.entry("module_version", "1"),
                    Map.entry("kind", "scheduled"),
                    Map.entry("stage", "scheduled"),
                    Map.entry("payload", "{}"),
                    Map.entry("max_retries", "3"),
                    Map.entry("retry_backoff_base_ms", "1000"),
                    Map.entry("retry_backoff_cap_ms", "300000"),
                    Map.entry("timeout_ms", "30000"),
                    Map.entry("created_at", Long.toString(f.clock.millis())),
                    Map.entry("run_at", Long.toString(runAt))));
    assertEquals(expected, added, "nothing pending, no worker woken");
    before.forEach((key, value) -> assertEquals(value, f.state().get(key), key + " changed"));
  }

  @Test
  void inCountsFromNowAndZIsUtc() {
    TaskId in = submit("default", "--in", "10m");
    TaskId utc = submit("default", "--at", "2026-01-01T00:00:00.001Z");

    assertEquals(
        Long.toString(f.clock.millis() + Duration.ofMinutes(10).toMillis()),
        f.hash(f.keys.task("default", in)).get("run_at"));
    assertEquals(
        Long.toString(f.clock.millis() + 1), f.hash(f.keys.task("default", utc)).get("run_at"));
  }

  @Test
  void statusAndResultShowWhenItRunsAndItKeepsThatTimeOncePromoted() {
    TaskId id = submit("default", "--in", "1h");

    CliRun status = cli.run("", "status", id.value());
    CliRun json = cli.run("", "status", id.value(), "--json");
    CliRun result = cli.run("", "result", id.value());
    f.clock.advance(Duration.ofHours(1));
    assertEquals(1, f.promoter.promote("default", 10), "due now");
    CliRun promoted = cli.run("", "status", id.value());

    assertEquals(
        "id:       "
            + id
            + "\ntask:     greeter\nqueue:    default\nstage:    scheduled\n"
            + "attempts: 0 (max retries 3)\nbackoff:  1s..5m\nrun at:   2026-01-01T01:00:00Z\n"
            + "timeout:  30s\nmodule:   v1 sha256:"
            + ModuleDigest.shortForm(greeter.digest())
            + "\ncreated:  2026-01-01T00:00:00Z\n",
        status.out());
    assertTrue(
        json.out()
            .contains(
                "\"kind\":\"scheduled\",\"stage\":\"scheduled\",\"payload\":\"{}\","
                    + "\"attempts\":0,"),
        json.out());
    assertTrue(json.out().contains(",\"run_at\":\"2026-01-01T01:00:00Z\","), json.out());
    assertEquals(1, result.exitCode());
    assertEquals(
        "producer result: task "
            + id
            + " is scheduled to run at 2026-01-01T01:00:00Z; no result yet (see 'producer status "
            + id
            + "')\n",
        result.stderr());
    assertTrue(promoted.out().contains("\nstage:    pending\n"), promoted.out());
    assertTrue(promoted.out().contains("\nrun at:   2026-01-01T01:00:00Z\n"), promoted.out());
  }

  static Stream<Arguments> refusals() {
    String help = " (see 'producer submit --help')";
    return Stream.of(
        refusal(
            "a time without an offset",
            "producer submit: Invalid value for option '--at': '2026-12-01T09:00:00' is not a time"
                + " with an offset: give RFC 3339, such as 2026-12-01T09:00:00+01:00 or"
                + " 2026-12-01T08:00:00Z"
                + help,
            "--at",
            "2026-12-01T09:00:00"),
        refusal(
            "not a time",
            "producer submit: Invalid value for option '--at': 'tomorrow' is not a time with an"
                + " offset: give RFC 3339, such as 2026-12-01T09:00:00+01:00 or"
                + " 2026-12-01T08:00:00Z"
                + help,
            "--at",
            "tomorrow"),
        refusal(
            "more than 10 years ahead",
            "producer submit: run-at time 2036-01-02T00:00:00Z is more than 10 years ahead: give a"
                + " nearer time",
            "--at",
            "2036-01-02T00:00:00Z"),
        refusal(
            "both --at and --in",
            "producer submit: give --at or --in, not both: --at names a time, --in how long from"
                + " now",
            "--at",
            "2026-12-01T09:00:00+01:00",
            "--in",
            "10m"),
        refusal(
            "--in not a duration",
            "producer submit: Invalid value for option '--in': '10 minutes' is not a duration: use"
                + " a number and a unit, such as 500ms, 30s, 5m or 2h"
                + help,
            "--in",
            "10 minutes"),
        refusal(
            "--in too far",
            "producer submit: --in 3651d is more than 10 years ahead: give a nearer time",
            "--in",
            "3651d"),
        refusal(
            "--in past the end of time",
            "producer submit: --in 999999999999d is more than 10 years ahead: give a nearer time",
            "--in",
            "999999999999d"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesABadTimeWithOneLineAndWritesNothing(String label, String message, String[] flags) {
    Map<String, Object> before = f.state();
    List<String> args = new ArrayList<>(List.of("submit", "--task", "greeter", "--payload", "{}"));
    args.addAll(List.of(flags));

    CliRun run = cli.run("", args.toArray(String[]::new));

    assertEquals(message + "\n", run.stderr());
    assertEquals(2, run.exitCode());
    assertEquals("", run.out());
    assertEquals(before, f.state());
  }

  /**
   * A time that has passed runs the task now, as other queues do with one: a script's {@code --at
   * "$(date -u +%FT%TZ)"} names a second that has begun, and was refused. Only a time passed long
   * ago, a mistyped date perhaps, is noted.
   */
  @Test
  void aTimeThatHasPassedRunsTheTaskNowNotingOneLongPast() {
    CliRun second = run("--at", "2025-12-31T23:59:59Z");
    CliRun now = run("--at", "2026-01-01T01:00:00+01:00");
    CliRun zero = run("--in", "0s");
    CliRun hour = run("--at", "2025-12-31T23:00:00Z");

    for (CliRun run : List.of(second, now, zero, hour)) {
      assertEquals(0, run.exitCode(), run.stderr());
      Map<String, String> hash = f.hash(f.keys.task("default", TaskId.parse(run.out().strip())));
      assertEquals("pending", hash.get("stage"), run.out());
      assertEquals(Kind.IMMEDIATE, TaskHash.read(hash).kind(), run.out());
      assertEquals(null, hash.get("run_at"), run.out());
    }
    assertEquals("", second.stderr() + now.stderr() + zero.stderr());
    assertEquals(
        "producer submit: note: --at 2025-12-31T23:00:00Z passed 1h00m ago: it runs now\n",
        hour.stderr());
    assertEquals(null, f.state().get(f.keys.scheduled("default")), "none waits for its time");
  }

  @Test
  void aBatchNotesItsLinesWhoseTimePassedLongAgo() throws Exception {
    String line = "{\"task\":\"greeter\",\"payload\":{},\"at\":\"%s\"}";
    Path one = dir.resolve("one.jsonl");
    Path two = dir.resolve("two.jsonl");
    Files.write(
        one,
        List.of(line.formatted("2025-12-31T23:58:59Z"), "{\"task\":\"greeter\",\"payload\":{}}"));
    Files.write(
        two,
        List.of(
            line.formatted("2025-12-31T23:59:30Z"),
            line.formatted("2025-12-01T00:00:00Z"),
            line.formatted("2025-12-31T12:00:00Z")));

    CliRun first = cli.run("", "submit", "--batch", one.toString());
    CliRun second = cli.run("", "submit", "--batch", two.toString());

    assertEquals(0, first.exitCode() + second.exitCode(), first.stderr() + second.stderr());
    assertEquals(
        "producer submit: note: line 1's at 2025-12-31T23:58:59Z passed 1m01s ago: its task runs"
            + " now\n",
        first.stderr());
    assertEquals(
        "producer submit: note: line 2's at 2025-12-01T00:00:00Z passed 744h00m ago (one of 2 such"
            + " lines): their tasks run now\n",
        second.stderr());
    assertEquals(5, ((List<?>) f.state().get(f.keys.pending("default"))).size(), "all now");
  }

  private CliRun run(String... flags) {
    List<String> args = new ArrayList<>(List.of("submit", "--task", "greeter", "--payload", "{}"));
    args.addAll(List.of(flags));
    return cli.run("", args.toArray(String[]::new));
  }

  @Test
  void scheduledListsWaitingTasksEarliestFirstAcrossQueues() {
    TaskId retrying = submit("default");
    f.fail("default", retrying, "trap: unreachable"); // now 00:00:01.250, retry at 00:00:01.750
    TaskId later = submit("default", "--in", "2h");
    TaskId soon = submit("emails", "--in", "10m");
    TaskId atOne = submit("default", "--at", "2026-01-01T01:00:00Z");
    submit("default");
    TaskId cancelled = submit("default", "--in", "5m");
    assertEquals(0, cli.run("", "cancel", cancelled.value()).exitCode());

    CliRun all = cli.run("", "scheduled");
    CliRun one = cli.run("", "scheduled", "--queue", "default", "--limit", "2");
    CliRun json = cli.run("", "scheduled", "--queue", "emails", "--json");
    CliRun none = cli.run("", "scheduled", "--queue", "nosuch");

    assertEquals(0, all.exitCode(), all.stderr());
    assertEquals(
        row("RUN AT", "ID", "TASK", "QUEUE", "STAGE", "ATTEMPTS")
            + row("2026-01-01T00:00:01Z", retrying.value(), "greeter", "default", "retrying", "1")
            + row("2026-01-01T00:10:01Z", soon.value(), "greeter", "emails", "scheduled", "0")
            + row("2026-01-01T01:00:00Z", atOne.value(), "greeter", "default", "scheduled", "0")
            + row("2026-01-01T02:00:01Z", later.value(), "greeter", "default", "scheduled", "0"),
        all.out());
    assertEquals(
        row("RUN AT", "ID", "TASK", "QUEUE", "STAGE", "ATTEMPTS")
            + row("2026-01-01T00:00:01Z", retrying.value(), "greeter", "default", "retrying", "1")
            + row("2026-01-01T01:00:00Z", atOne.value(), "greeter", "default", "scheduled", "0")
            + "showing the first 2 waiting tasks; --limit shows more\n",
        one.out());
    assertEquals(
        "{\"id\":\""
            + soon
            + "\",\"queue\":\"emails\",\"name\":\"greeter\",\"stage\":\"scheduled\","
            + "\"run_at\":\"2026-01-01T00:10:01.250Z\",\"attempts\":0,"
            + "\"created_at\":\"2026-01-01T00:00:01.250Z\"}\n",
        json.out());
    assertEquals(
        "no scheduled tasks in queue nosuch (no task was ever submitted to it: the queues are"
            + " default, emails)\n",
        none.out());
    assertEquals("", all.stderr() + one.stderr() + json.stderr() + none.stderr());
  }

  @Test
  void scheduledRefusesABadLimitOrQueue() {
    CliRun empty = cli.run("", "scheduled");
    CliRun zero = cli.run("", "scheduled", "--limit", "0");
    CliRun queue = cli.run("", "scheduled", "--queue", "a:b");

    assertEquals("no scheduled tasks\n", empty.out());
    assertEquals(2, zero.exitCode());
    assertEquals(
        "producer scheduled: --limit 0 is not positive: give how many tasks to list at most,"
            + " such as 50\n",
        zero.stderr());
    assertEquals(2, queue.exitCode());
    assertEquals(
        "producer scheduled: queue name 'a:b' is invalid: use 1-64 letters, digits, '_', '.' or"
            + " '-', starting with a letter or digit\n",
        queue.stderr());
  }

  private TaskId submit(String queue, String... flags) {
    List<String> args =
        new ArrayList<>(
            List.of("submit", "--task", "greeter", "--payload", "{}", "--queue", queue));
    args.addAll(List.of(flags));
    CliRun run = cli.run("", args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return TaskId.parse(run.out().strip());
  }

  private static Arguments refusal(String label, String message, String... flags) {
    return Arguments.of(label, message, flags);
  }

  private static String row(String... cells) {
    return String.format(Locale.ROOT, "%-20s  %-36s  %-7s  %-7s  %-9s  %s\n", (Object[]) cells);
  }
}
