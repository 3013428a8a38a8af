package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.module.ModuleRemover;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RMap;

/** {@code producer dlq list, show, replay, purge} on tasks that died through real transitions. */
@ExtendWith(RedisExtension.class)
class DlqCliTest {
  private static final String UNKNOWN = "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90";
  private static final String HEADER = row("ID", "TASK", "QUEUE", "ATTEMPTS", "DIED AT", "ERROR");

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
  void listsDeadTasksNewestFirstAcrossQueues() {
    TaskId first = kill("default", "trap: unreachable");
    TaskId second = kill("emails", "boom\n  at line 2");
    TaskId third = kill("default", "x".repeat(80));
    f.fail("default", submit("default"), "retrying, not dead");
    submit("default");

    CliRun all = cli.run("", "dlq", "list");
    CliRun one = cli.run("", "dlq", "list", "--queue", "default", "--limit", "1");
    CliRun json = cli.run("", "dlq", "list", "--json");
    CliRun none = cli.run("", "dlq", "list", "--queue", "nosuch");

    assertEquals(0, all.exitCode(), all.stderr());
    assertEquals(
        HEADER
            + row(third, "default", "2026-01-01T00:00:03Z", "x".repeat(57) + "...")
            + row(second, "emails", "2026-01-01T00:00:02Z", "boom...")
            + row(first, "default", "2026-01-01T00:00:01Z", "trap: unreachable"),
        all.out());
    assertEquals(
        HEADER
            + row(third, "default", "2026-01-01T00:00:03Z", "x".repeat(57) + "...")
            + "showing 1 of 2 dead tasks; --limit shows more\n",
        one.out());
    List<String> lines = json.out().lines().toList();
    assertEquals(3, lines.size(), json.out());
    assertEquals(
        "{\"id\":\""
            + second
            + "\",\"queue\":\"emails\",\"name\":\"greeter\",\"attempts\":1,"
            + "\"finished_at\":\"2026-01-01T00:00:02.500Z\",\"error\":\"boom\\n  at line 2\","
            + "\"log_path\":\"/logs/"
            + second
            + ".log\"}",
        lines.get(1));
    assertTrue(lines.get(0).startsWith("{\"id\":\"" + third + "\""), lines.get(0));
    assertTrue(lines.get(2).startsWith("{\"id\":\"" + first + "\""), lines.get(2));
    assertEquals(
        "no dead tasks in queue nosuch (no task was ever submitted to it: the queues are default,"
            + " emails)\n",
        none.out());
    assertEquals("", all.stderr() + one.stderr() + json.stderr() + none.stderr());
  }

  @Test
  void listRefusesABadLimitOrQueue() {
    CliRun empty = cli.run("", "dlq", "list");
    CliRun zero = cli.run("", "dlq", "list", "--limit", "0");
    CliRun queue = cli.run("", "dlq", "list", "--queue", "a:b");

    assertEquals("no dead tasks\n", empty.out());
    assertEquals(2, zero.exitCode());
    assertEquals(
        "producer dlq list: --limit 0 is not positive: give how many tasks to list at most,"
            + " such as 50\n",
        zero.stderr());
    assertEquals(2, queue.exitCode());
    assertTrue(queue.stderr().startsWith("producer dlq list: queue name 'a:b' is invalid"));
  }

  @Test
  void showPrintsADeadTaskAsStatusDoesAndRefusesOthers() {
    TaskId dead = kill("default", "trap: unreachable");
    TaskId pending = submit("default");

    CliRun show = cli.run("", "dlq", "show", dead.value());
    CliRun json = cli.run("", "dlq", "show", dead.value(), "--json");
    CliRun notDead = cli.run("", "dlq", "show", pending.value());
    CliRun unknown = cli.run("", "dlq", "show", UNKNOWN);

    assertEquals(0, show.exitCode(), show.stderr());
    assertEquals(cli.run("", "status", dead.value()).out(), show.out());
    assertTrue(show.out().contains("\nstage:    dead\n"), show.out());
    assertEquals(cli.run("", "status", dead.value(), "--json").out(), json.out());
    assertEquals(1, notDead.exitCode());
    assertEquals("", notDead.out());
    assertEquals(
        "producer dlq show: task "
            + pending
            + " is not dead, it is pending: see 'producer status "
            + pending
            + "'\n",
        notDead.stderr());
    assertEquals(4, unknown.exitCode());
    assertTrue(unknown.stderr().startsWith("producer dlq show: task " + UNKNOWN + " not found"));
  }

  @Test
  void replaysEveryTaskItCanAndNamesEachItCannot() {
    TaskId dead = kill("default", "trap: unreachable");
    TaskId other = kill("emails", "trap: unreachable");
    TaskId pending = submit("default");
    f.clock.advance(Duration.ofMinutes(5));

    CliRun run =
        cli.run("", "dlq", "replay", dead.value(), pending.value(), UNKNOWN, other.value());
    CliRun again = cli.run("", "dlq", "replay", dead.value());

    assertEquals(1, run.exitCode());
    assertEquals("replayed " + dead + "\nreplayed " + other + "\n", run.out());
    assertEquals(
        "producer dlq replay: task "
            + pending
            + " is not dead, it is pending: only dead tasks can be replayed (see 'producer"
            + " status "
            + pending
            + "')\n"
            + "producer dlq replay: task "
            + UNKNOWN
            + " not found: no queue under key prefix '"
            + f.redis.prefix()
            + "' has it; check the id, and TASK_QUEUE_KEY_PREFIX or --key-prefix if it was"
            + " submitted under another prefix\n"
            + "producer dlq replay: 2 of 4 tasks were not replayed: see the lines above\n",
        run.stderr());
    Map<String, String> hash = f.hash(f.keys.task("default", dead));
    assertEquals("pending", hash.get("stage"));
    assertEquals("0", hash.get("attempts"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("replayed_at"));
    assertEquals(List.of(dead.value(), pending.value()), f.state().get(f.keys.pending("default")));
    assertNull(f.state().get(f.keys.dlq("default")));
    String status = cli.run("", "status", dead.value()).out();
    assertTrue(status.contains("\nattempts: 0 (max retries 0)\n"), status);
    assertTrue(status.contains("\nreplayed: 2026-01-01T00:05:02.500Z\n"), status);
    assertTrue(status.contains("\nhistory:\n  #1  failed  "), "the history stays:\n" + status);
    assertTrue(
        status.endsWith("\n  --  replayed  2026-01-01T00:05:02.500Z\n"),
        "the replay follows it, before any attempt of its own:\n" + status);
    String json = cli.run("", "status", dead.value(), "--json").out();
    assertTrue(json.contains(",\"replayed_at\":\"2026-01-01T00:05:02.500Z\","), json);
    assertTrue(
        json.contains(",\"replayed_at\":\"2026-01-01T00:05:02.500Z\"}]"),
        "and the attempt it followed:\n" + json);
    assertEquals(1, again.exitCode());
    assertEquals("", again.out());
    assertTrue(
        again.stderr().startsWith("producer dlq replay: task " + dead + " is not dead, it is"),
        again.stderr());
  }

  @Test
  void statusShowsWhereAReplayNumberedTheAttemptsFromOneAgain() {
    TaskId id = deadTwiceReplayed();

    List<String> history = history(id);

    assertEquals(6, history.size(), String.join("\n", history));
    assertTrue(
        history.get(1).startsWith("  #1  failed    2026-01-01T00:00:01.000Z "), history.get(1));
    assertEquals("  --  replayed  2026-01-01T00:00:01.250Z", history.get(2));
    assertTrue(
        history.get(3).startsWith("  #1  failed    2026-01-01T00:00:02.250Z "), history.get(3));
    assertEquals("  --  replayed  2026-01-01T00:00:02.500Z", history.get(4));
    assertTrue(
        history.get(5).startsWith("  #1  failed    2026-01-01T00:00:03.500Z "), history.get(5));
  }

  /**
   * A task replayed before each replay's time was kept ({@code replayed:<lease token>}) has only
   * the latest replay's time: its replays are told by the attempts' numbers, the latest with that
   * time.
   */
  @Test
  void statusShowsTheReplaysOfATaskThatKeptOnlyTheLatestTime() {
    TaskId id = deadTwiceReplayed();
    RMap<String, String> hash = f.client.getMap(f.keys.task("default", id));
    hash.keySet().stream().filter(field -> field.startsWith("replayed:")).forEach(hash::remove);

    List<String> history = history(id);

    assertEquals(6, history.size(), String.join("\n", history));
    assertEquals("  --  replayed", history.get(2));
    assertEquals("  --  replayed  2026-01-01T00:00:02.500Z", history.get(4));
  }

  /** A task that died, was replayed and died again, twice. */
  private TaskId deadTwiceReplayed() {
    TaskId id = kill("default", "trap: unreachable");
    for (int replay = 0; replay < 2; replay++) {
      assertEquals(0, cli.run("", "dlq", "replay", id.value()).exitCode());
      f.fail("default", id, "trap: unreachable");
    }
    return id;
  }

  /** The lines of {@code producer status}, from its history's heading on. */
  private List<String> history(TaskId id) {
    return cli.run("", "status", id.value())
        .out()
        .lines()
        .dropWhile(l -> !l.equals("history:"))
        .toList();
  }

  @Test
  void replaysAllDeadTasksOfOneQueueOrOfEvery() {
    TaskId first = kill("default", "trap: unreachable");
    TaskId other = kill("emails", "trap: unreachable");
    TaskId second = kill("default", "trap: unreachable");

    CliRun queue = cli.run("", "dlq", "replay", "--all", "--queue", "default");
    Object pending = f.state().get(f.keys.pending("default"));
    CliRun every = cli.run("", "dlq", "replay", "--all");
    CliRun none = cli.run("", "dlq", "replay", "--all");
    CliRun misspelt = cli.run("", "dlq", "replay", "--all", "--queue", "emials");
    CliRun used = cli.run("", "dlq", "replay", "--all", "--queue", "emails");

    assertEquals(0, queue.exitCode(), queue.stderr());
    assertEquals("replayed " + first + "\nreplayed " + second + "\n", queue.out());
    assertEquals(
        List.of(second.value(), first.value()),
        pending,
        "back in the order they came: the oldest is taken first");
    assertEquals(0, every.exitCode(), every.stderr());
    assertEquals("replayed " + other + "\n", every.out());
    assertEquals(0, none.exitCode());
    assertEquals("", none.out());
    assertEquals("producer dlq replay: no dead tasks; nothing to replay\n", none.stderr());
    assertEquals(
        "producer dlq replay: no dead tasks in queue emials (no task was ever submitted to it: the"
            + " queues are default, emails); nothing to replay\n",
        misspelt.stderr());
    assertEquals(
        "producer dlq replay: no dead tasks in queue emails; nothing to replay\n", used.stderr());
  }

  @Test
  void aTaskWhoseModuleWasRemovedIsNotReplayed() {
    TaskId dead = kill("default", "trap: unreachable");
    new ModuleRemover(
            f.session.redis(),
            f.keys,
            f.modules,
            new TaskInspector(f.session.redis(), f.keys),
            name -> List.of(), // no schedules in these tests
            f.clock,
            Duration.ofSeconds(5))
        .remove("greeter", false);
    Map<String, Object> before = f.state();

    CliRun run = cli.run("", "dlq", "replay", dead.value());

    assertEquals(1, run.exitCode());
    assertEquals("", run.out());
    assertEquals(
        "producer dlq replay: task "
            + dead
            + " cannot be replayed: version 1 of module 'greeter' was removed from the registry;"
            + " replay it with --newest-module to run it on a newer version (upload the module"
            + " again first if there is none) (see 'producer dlq show "
            + dead
            + "')\n"
            + "producer dlq replay: 1 of 1 tasks were not replayed: see the lines above\n",
        run.stderr());
    assertEquals(before, f.state());

    CliRun none = cli.run("", "dlq", "replay", "--newest-module", dead.value());
    assertEquals(1, none.exitCode());
    assertTrue(
        none.stderr()
            .contains(
                "version 1 of module 'greeter', the newest its queue knows, was removed from the"
                    + " registry; upload the module again, then replay it with --newest-module"),
        none.stderr());

    f.publish("greeter", "greeter, uploaded again");
    CliRun again = cli.run("", "dlq", "replay", "--newest-module", dead.value());
    assertEquals(0, again.exitCode(), again.stderr());
    assertEquals("replayed " + dead + " on v2 (was v1)\n", again.out());
  }

  @Test
  void replayOnTheNewestModuleRunsAFixUploadedSinceTheTasksDied() {
    TaskId first = kill("default", "trap: unreachable");
    TaskId second = kill("default", "trap: unreachable");
    TaskId kept = kill("emails", "trap: unreachable");
    f.publish("greeter", "greeter v2, fixed");

    CliRun run = cli.run("", "dlq", "replay", "--all", "--queue", "default", "--newest-module");
    CliRun plain = cli.run("", "dlq", "replay", kept.value());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        "replayed " + first + " on v2 (was v1)\nreplayed " + second + " on v2 (was v1)\n",
        run.out());
    assertEquals("replayed " + kept + "\n", plain.out(), "without the flag, its own version");
    String status = cli.run("", "status", first.value()).out();
    assertTrue(status.contains("module:   v2 "), status);
    assertTrue(
        status.matches("(?s).*\\n  --  replayed  +\\S+ onto v2\\n.*"),
        "the history says which version the replay moved it to:\n" + status);
    assertTrue(
        cli.run("", "status", first.value(), "--json")
            .out()
            .contains("\"replayed_onto_version\":2"));
    assertTrue(cli.run("", "status", kept.value()).out().contains("module:   v1 "));
  }

  @Test
  void replayRefusesBadArgumentsBeforeChangingAnything() {
    TaskId dead = kill("default", "trap: unreachable");
    Map<String, Object> before = f.state();

    CliRun nothing = cli.run("", "dlq", "replay");
    CliRun both = cli.run("", "dlq", "replay", dead.value(), "--all");
    CliRun queue = cli.run("", "dlq", "replay", dead.value(), "--queue", "default");
    CliRun malformed = cli.run("", "dlq", "replay", dead.value(), "42");

    assertEquals(
        "producer dlq replay: give the ids of the dead tasks to replay, or --all for every one\n",
        nothing.stderr());
    assertEquals("producer dlq replay: give task ids or --all, not both\n", both.stderr());
    assertEquals(
        "producer dlq replay: --queue goes with --all: a task id names its task whatever the"
            + " queue\n",
        queue.stderr());
    assertTrue(
        malformed.stderr().startsWith("producer dlq replay: task id '42' is not a task id"),
        malformed.stderr());
    for (CliRun run : List.of(nothing, both, queue, malformed)) {
      assertEquals(2, run.exitCode(), run.stderr());
      assertEquals("", run.out());
    }
    assertEquals(before, f.state());
  }

  @Test
  void purgeSaysWhatItWouldRemoveAndRemovesOnlyWithYes() {
    TaskId old = kill("default", "trap: unreachable");
    TaskId oldOther = kill("emails", "trap: unreachable");
    f.clock.advance(Duration.ofDays(10));
    TaskId young = kill("default", "trap: unreachable");
    Map<String, Object> before = f.state();

    CliRun dryRun = cli.run("", "dlq", "purge", "--older-than", "7d");
    Map<String, Object> afterDryRun = f.state();
    CliRun purge = cli.run("", "dlq", "purge", "--older-than", "7d", "--yes");
    CliRun again = cli.run("", "dlq", "purge", "--older-than", "7d", "--yes");
    CliRun nothingLeft = cli.run("", "dlq", "purge", "--older-than", "7d");
    CliRun everyDryRun = cli.run("", "dlq", "purge", "--queue", "default");
    CliRun every = cli.run("", "dlq", "purge", "--queue", "default", "--yes");
    CliRun misspelt = cli.run("", "dlq", "purge", "--queue", "defualt");
    CliRun misspeltYes = cli.run("", "dlq", "purge", "--queue", "defualt", "--yes");

    assertEquals(0, dryRun.exitCode(), dryRun.stderr());
    assertEquals(
        "would remove 1 dead task of queue default:\n  "
            + old
            + "\nwould remove 1 dead task of queue emails:\n  "
            + oldOther
            + "\nnothing was removed: run again with --yes to remove them\n",
        dryRun.out());
    assertEquals(before, afterDryRun);
    assertEquals("removed 2 dead tasks: default 1, emails 1\n", purge.out());
    assertEquals("removed 0 dead tasks\n", again.out());
    assertEquals("no dead tasks older than 7d to remove\n", nothingLeft.out());
    assertEquals(
        "would remove 1 dead task of queue default:\n  "
            + young
            + "\nnothing was removed: run again with --yes to remove them\n",
        everyDryRun.out());
    assertEquals("removed 1 dead task: default 1\n", every.out());
    String note = " (no task was ever submitted to it: the queues are default, emails)";
    assertEquals("no dead tasks in queue defualt to remove" + note + "\n", misspelt.out());
    assertEquals("removed 0 dead tasks" + note + "\n", misspeltYes.out());
    Map<String, Object> state = f.state();
    for (String key :
        List.of(
            f.keys.task("default", old),
            f.keys.task("emails", oldOther),
            f.keys.task("default", young),
            f.keys.dlq("default"),
            f.keys.dlq("emails"))) {
      assertNull(state.get(key), key);
    }
  }

  @Test
  void purgeRefusesABadDurationAndABareDlqAsksForACommand() {
    CliRun duration = cli.run("", "dlq", "purge", "--older-than", "7 days", "--yes");
    CliRun bare = CliRun.of(new ProducerCommand(), "", "dlq");

    assertEquals(2, duration.exitCode());
    assertTrue(
        duration
            .stderr()
            .startsWith(
                "producer dlq purge: Invalid value for option '--older-than': '7 days' is not a"
                    + " duration"),
        duration.stderr());
    assertEquals(2, bare.exitCode());
    assertEquals(
        "producer dlq: Missing required subcommand (see 'producer dlq --help')\n", bare.stderr());
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

  /** Submits a task without retries and fails its one attempt, 1.25 seconds later. */
  @Test
  void purgeDeletesTheLogFilesInItsLogFolderAndNothingOutsideIt(TestRedis redis) throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    cli = new CliFixture(redis, dir, "TASK_QUEUE_WASM_LOG_DIR=" + logs);
    f = cli.f;
    f.publish("greeter", "greeter v1");
    TaskId inside = kill("default", "trap: unreachable");
    TaskId outside = kill("default", "trap: unreachable");
    Path insideLog = Files.writeString(logs.resolve("inside.log"), "started\n");
    Path outsideLog = Files.writeString(dir.resolve("outside.log"), "started\n");
    f.client.getMap(f.keys.task("default", inside)).put("log_path", insideLog.toString());
    f.client.getMap(f.keys.task("default", outside)).put("log_path", outsideLog.toString());

    CliRun purge = cli.run("", "dlq", "purge", "--yes");

    assertEquals("removed 2 dead tasks: default 2\n", purge.out(), purge.stderr());
    assertTrue(Files.notExists(insideLog), "deleted with its task");
    assertTrue(Files.exists(outsideLog), "outside the log folder: never touched");
  }

  private TaskId kill(String queue, String error) {
    TaskId id = submit(queue, "--max-retries", "0");
    f.fail(queue, id, error);
    return id;
  }

  private static String row(TaskId id, String queue, String diedAt, String error) {
    return row(id.value(), "greeter", queue, "1", diedAt, error);
  }

  private static String row(String... cells) {
    return String.format(Locale.ROOT, "%-36s  %-7s  %-7s  %-8s  %-20s  %s\n", (Object[]) cells);
  }
}
