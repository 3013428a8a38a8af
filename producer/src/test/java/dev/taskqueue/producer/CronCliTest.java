package dev.taskqueue.producer;

import static dev.taskqueue.producer.CronAddRuns.NIGHTLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.schedule.ScheduleFirer;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code producer cron list, show, rm, pause, resume} ({@code add} is {@link CronAddCliTest}'s).
 * The fixture's clock stands at 2026-01-01T00:00:00Z, 01:00 in Berlin; firings are made by core's
 * {@link ScheduleFirer} with that clock moved past their time.
 */
@ExtendWith(RedisExtension.class)
class CronCliTest {
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
  void listShowsNextFiresAndTheLastFiringWithItsTask() {
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY, "--tz", "Europe/Berlin").exitCode());
    assertEquals(
        0, CronAddRuns.add(cli, "every-minute", "0 * * * * *", "--queue", "emails").exitCode());
    assertEquals(0, cli.run("", "cron", "pause", "every-minute").exitCode());
    f.clock.set(Instant.parse("2026-01-01T01:00:01Z"));
    ScheduleFirer firer = new ScheduleFirer(f.session.redis(), f.keys, f.clock);
    assertEquals(1, firer.fireDue("default", 10), "nightly fired once");
    TaskId fired = TaskId.parse(f.hash(f.keys.schedule("default", "nightly")).get("last_task_id"));

    CliRun pending = cli.run("", "cron", "list");
    complete(fired);
    CliRun completed = cli.run("", "cron", "list");
    CliRun json = cli.run("", "cron", "list", "--json");
    f.client.getKeys().delete(f.keys.task("default", fired));
    CliRun deleted = cli.run("", "cron", "list");

    String header =
        row(
            "NAME",
            "TASK",
            "QUEUE",
            "CRON",
            "CATCH-UP",
            "STATE",
            "NEXT FIRES",
            "LAST FIRE",
            "LAST TASK");
    String minute =
        row(
            "every-minute",
            "greeter",
            "emails",
            "0 * * * * * (UTC)",
            "fire-once",
            "paused",
            "-",
            "-",
            "-");
    String nextFires = "2026-01-02 02:00:00, 2026-01-03 02:00:00, 2026-01-04 02:00:00";
    assertEquals(0, pending.exitCode(), pending.stderr());
    assertEquals(
        header
            + minute
            + row(
                "nightly",
                "greeter",
                "default",
                "0 0 2 * * * (Europe/Berlin)",
                "fire-once",
                "active",
                nextFires,
                "2026-01-01 02:00:00",
                fired + " pending"),
        pending.out());
    assertTrue(completed.out().endsWith(" " + fired + " completed\n"), completed.out());
    assertTrue(deleted.out().endsWith(" " + fired + " deleted\n"), deleted.out());
    assertEquals(
        "{\"name\":\"every-minute\",\"queue\":\"emails\",\"task\":\"greeter\","
            + "\"cron\":\"0 * * * * *\",\"tz\":\"UTC\",\"catch_up\":\"fire-once\",\"paused\":true,"
            + "\"next_fire_times\":[],\"last_fire_at\":null,\"last_task_id\":null,"
            + "\"last_task_stage\":null,\"fired\":0}\n"
            + "{\"name\":\"nightly\",\"queue\":\"default\",\"task\":\"greeter\","
            + "\"cron\":\"0 0 2 * * *\",\"tz\":\"Europe/Berlin\",\"catch_up\":\"fire-once\","
            + "\"paused\":false,\"next_fire_times\":[\"2026-01-02T01:00:00Z\","
            + "\"2026-01-03T01:00:00Z\",\"2026-01-04T01:00:00Z\"],"
            + "\"last_fire_at\":\"2026-01-01T01:00:00Z\",\"last_task_id\":\""
            + fired
            + "\",\"last_task_stage\":\"completed\",\"fired\":1}\n",
        json.out());
    assertEquals("", pending.stderr() + completed.stderr() + json.stderr() + deleted.stderr());
  }

  @Test
  void aFiredTaskShowsItsScheduleAndFireTime() {
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY, "--tz", "Europe/Berlin").exitCode());
    f.clock.set(Instant.parse("2026-01-01T01:00:01Z"));
    new ScheduleFirer(f.session.redis(), f.keys, f.clock).fireDue("default", 10);
    TaskId fired = TaskId.parse(f.hash(f.keys.schedule("default", "nightly")).get("last_task_id"));

    CliRun status = cli.run("", "status", fired.value());
    CliRun json = cli.run("", "status", fired.value(), "--json");

    assertTrue(
        status.out().contains("\nschedule: nightly\nfire at:  2026-01-01T01:00:00Z\n"),
        status.out());
    assertTrue(json.out().contains("\"kind\":\"cron\",\"stage\":\"pending\""), json.out());
    assertTrue(
        json.out().contains(",\"schedule\":\"nightly\",\"fire_at\":\"2026-01-01T01:00:00Z\","),
        json.out());
  }

  /** A nickname such as {@code @hourly} is kept as given and fires at its fields' times. */
  @Test
  void aNicknameIsShownAsGivenAndFiresAtItsTimes() {
    CliRun add = CronAddRuns.add(cli, "hourly", "@hourly");
    f.clock.set(Instant.parse("2026-01-01T01:00:01Z"));
    long fired = new ScheduleFirer(f.session.redis(), f.keys, f.clock).fireDue("default", 10);
    CliRun show = cli.run("", "cron", "show", "hourly");

    assertEquals(0, add.exitCode(), add.stderr());
    assertEquals("added schedule hourly: first fire at 2026-01-01T01:00:00Z (UTC)\n", add.out());
    assertEquals(1L, fired);
    assertTrue(show.out().contains("\ncron:        @hourly (UTC)\n"), show.out());
    assertTrue(show.out().contains("\nnext fires:  2026-01-01T02:00:00Z\n"), show.out());
  }

  @Test
  void listSaysWhenThereAreNone() {
    CliRun text = cli.run("", "cron", "list");
    CliRun json = cli.run("", "cron", "list", "--json");

    assertEquals("no cron schedules\n", text.out());
    assertEquals("", json.out());
    assertEquals(0, text.exitCode() + json.exitCode());
  }

  @Test
  void showPrintsEveryField() {
    assertEquals(
        0,
        CronAddRuns.add(
                cli,
                "nightly",
                NIGHTLY,
                "--tz",
                "Europe/Berlin",
                "--payload",
                "{\"n\":1}",
                "--retry-backoff",
                "2s..10s")
            .exitCode());

    CliRun text = cli.run("", "cron", "show", "nightly");
    CliRun json = cli.run("", "cron", "show", "nightly", "--json");

    assertEquals(0, text.exitCode(), text.stderr());
    assertEquals(
        """
        name:        nightly
        task:        greeter
        queue:       default
        cron:        0 0 2 * * * (Europe/Berlin)
        catch-up:    fire-once
        state:       active
        next fires:  2026-01-01T02:00:00+01:00
                     2026-01-02T02:00:00+01:00
                     2026-01-03T02:00:00+01:00
        last fire:   -
        last task:   -
        fired:       0 tasks
        payload:     {"n":1}
        max retries: 3
        backoff:     2s..10s
        timeout:     30s
        created:     2026-01-01T00:00:00Z
        """,
        text.out());
    assertEquals(
        "{\"name\":\"nightly\",\"queue\":\"default\",\"task\":\"greeter\","
            + "\"cron\":\"0 0 2 * * *\",\"tz\":\"Europe/Berlin\",\"catch_up\":\"fire-once\","
            + "\"paused\":false,\"next_fire_times\":[\"2026-01-01T01:00:00Z\","
            + "\"2026-01-02T01:00:00Z\",\"2026-01-03T01:00:00Z\"],\"last_fire_at\":null,"
            + "\"last_task_id\":null,\"last_task_stage\":null,\"fired\":0,"
            + "\"payload\":\"{\\\"n\\\":1}\",\"max_retries\":3,\"retry_backoff_base_ms\":2000,"
            + "\"retry_backoff_cap_ms\":10000,\"timeout_ms\":30000,"
            + "\"created_at\":\"2026-01-01T00:00:00Z\"}\n",
        json.out());
  }

  @Test
  void removeDeletesTheScheduleAndLeavesItsTasks() {
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY).exitCode());
    f.clock.set(Instant.parse("2026-01-01T02:00:01Z"));
    new ScheduleFirer(f.session.redis(), f.keys, f.clock).fireDue("default", 10);
    TaskId fired = TaskId.parse(f.hash(f.keys.schedule("default", "nightly")).get("last_task_id"));

    CliRun run = cli.run("", "cron", "rm", "nightly");
    Map<String, Object> after = f.state();
    // rm answers to remove and delete too.
    CliRun again = cli.run("", "cron", "remove", "nightly");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("removed schedule nightly\n", run.out());
    assertNull(after.get(f.keys.schedule("default", "nightly")));
    assertNull(after.get(f.keys.schedules("default")));
    assertNull(after.get(f.keys.scheduleNames()));
    assertEquals("pending", f.hash(f.keys.task("default", fired)).get("stage"));
    assertEquals(4, again.exitCode());
    assertEquals(
        "producer cron rm: no schedule is named 'nightly': see 'producer cron list'"
            + cli.lookedIn()
            + "\n",
        again.stderr());
    assertEquals(after, f.state());
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY).exitCode(), "the name is free again");
  }

  @Test
  void pauseAndResumeSayWhatTheyChanged() {
    assertEquals(0, CronAddRuns.add(cli, "nightly", NIGHTLY).exitCode());

    CliRun pause = cli.run("", "cron", "pause", "nightly");
    Map<String, Object> paused = f.state();
    CliRun pauseAgain = cli.run("", "cron", "pause", "nightly");
    Map<String, Object> pausedAgain = f.state();
    f.clock.set(Instant.parse("2026-01-03T12:00:00Z"));
    CliRun resume = cli.run("", "cron", "resume", "nightly");
    Map<String, Object> resumed = f.state();
    CliRun resumeAgain = cli.run("", "cron", "resume", "nightly");

    assertEquals("paused schedule nightly\n", pause.out());
    assertEquals("1", field(paused, f.keys.schedule("default", "nightly"), "paused"));
    assertNull(paused.get(f.keys.schedules("default")), "no scheduler sees it");
    assertEquals("schedule nightly was already paused\n", pauseAgain.out());
    assertEquals(paused, pausedAgain);
    assertEquals("resumed schedule nightly: next fire at 2026-01-04T02:00:00Z\n", resume.out());
    assertEquals(
        Map.of("nightly", (double) Instant.parse("2026-01-04T02:00:00Z").toEpochMilli()),
        resumed.get(f.keys.schedules("default")));
    assertEquals("schedule nightly was not paused\n", resumeAgain.out());
    assertEquals(resumed, f.state());
    for (CliRun run : List.of(pause, pauseAgain, resume, resumeAgain)) {
      assertEquals(0, run.exitCode(), run.stderr());
      assertEquals("", run.stderr());
    }
  }

  @Test
  void unknownOrBadNamesAreOneLineAndTheirOwnExitCode() {
    Map<String, Object> before = f.state();

    for (String command : List.of("show", "rm", "pause", "resume")) {
      CliRun unknown = cli.run("", "cron", command, "nosuch");
      CliRun bad = cli.run("", "cron", command, "a b");

      assertEquals(4, unknown.exitCode(), command);
      assertEquals(
          "producer cron "
              + command
              + ": no schedule is named 'nosuch': see 'producer cron list'"
              + cli.lookedIn()
              + "\n",
          unknown.stderr());
      assertEquals(2, bad.exitCode(), command);
      assertEquals(
          "producer cron "
              + command
              + ": schedule name 'a b' is invalid: use 1-64 letters, digits, '_', '.' or '-',"
              + " starting with a letter or digit\n",
          bad.stderr());
      assertEquals("", unknown.out() + bad.out());
    }
    CliRun bare = CliRun.of(new ProducerCommand(), "", "cron");
    assertEquals(2, bare.exitCode());
    assertEquals(
        "producer cron: Missing required subcommand (see 'producer cron --help')\n", bare.stderr());
    assertEquals(before, f.state());
  }

  @SuppressWarnings("unchecked")
  private static String field(Map<String, Object> state, String key, String field) {
    return ((Map<String, String>) state.get(key)).get(field);
  }

  private void complete(TaskId id) {
    f.clock.advance(Duration.ofSeconds(1));
    Lease lease = f.claim("default", id);
    f.recorder.complete(
        lease, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
  }

  private static String row(String... cells) {
    return String.format(
                Locale.ROOT,
                "%-12s  %-7s  %-7s  %-27s  %-9s  %-6s  %-61s  %-19s  %s",
                (Object[]) cells)
            .stripTrailing()
        + "\n";
  }
}
