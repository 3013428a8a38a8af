package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.lease.LeaseRenewer;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: {@code producer queues}, {@code producer workers} and {@code producer stats}, for
 * people and for scripts.
 */
@ExtendWith(RedisExtension.class)
class QueuesWorkersCliTest {
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
  void queuesShowsEachQueuesDepthsAndHowLongItsNextTaskWaited() {
    assertEquals(
        "no queues yet: a queue appears with its first task\n", cli.run("", "queues").out());
    TaskId first = submit("--queue", "default");
    f.clock.advance(Duration.ofSeconds(2));
    TaskId next = submit("--queue", "default");
    submit("--queue", "default");
    submit("--queue", "emails", "--in", "1h");
    TaskId dead = submit("--queue", "emails", "--max-retries", "0");
    f.fail("emails", dead, "trap: unreachable"); // claimed and failed 1.25 s from now
    f.claim("default", first);
    f.clock.advance(Duration.ofMillis(250));
    cli.run("", "pause", "emails");

    CliRun text = cli.run("", "queues");
    CliRun json = cli.run("", "queues", "--json");

    assertEquals(0, text.exitCode(), text.stderr());
    assertEquals(
        """
        QUEUE    STATE   PENDING  PROCESSING  SCHEDULED  DLQ  OLDEST PENDING
        default  active  2        1           0          0    1.5s
        emails   paused  0        0           1          1    -
        """,
        text.out(),
        "default's next, " + next + ", was submitted 1.5 s ago");
    assertEquals(
        "{\"queue\":\"default\",\"paused\":false,\"pending\":2,\"processing\":1,"
            + "\"scheduled\":0,\"dlq\":0,\"next_scheduled_at\":null,\"oldest_pending_ms\":1500}\n"
            + "{\"queue\":\"emails\",\"paused\":true,\"pending\":0,\"processing\":0,"
            + "\"scheduled\":1,\"dlq\":1,\"next_scheduled_at\":\"2026-01-01T01:00:02Z\","
            + "\"oldest_pending_ms\":null}\n",
        json.out());
  }

  /**
   * A task due long ago still waits in scheduled, and they say so: that no scheduler or reaper
   * runs, or, when some say they run, that they have not moved it.
   */
  @Test
  void aScheduledTaskLongOverdueIsPointedOut() {
    TaskId later = submit("--queue", "emails", "--in", "5s");
    f.clock.advance(Duration.ofSeconds(15)); // due 10 s ago: not yet called overdue

    String onTime = cli.run("", "queues").out();
    f.clock.advance(Duration.ofSeconds(30));
    CliRun queues = cli.run("", "queues");
    CliRun stats = cli.run("", "stats");
    CliRun status = cli.run("", "status", later.value());
    long until = f.clock.millis() + 4000;
    f.client.getScoredSortedSet(f.keys.alive("scheduler")).add((double) until, "s1");
    CliRun stuck = cli.run("", "queues");
    CliRun stuckStatus = cli.run("", "status", later.value());

    assertFalse(onTime.contains("queue emails:"), onTime);
    String none =
        "queue emails: a task in scheduled has been due for 40s, and no scheduler or reaper runs"
            + " to move it to pending: start bin/scheduler or bin/reaper\n";
    assertTrue(queues.out().endsWith(none), queues.out());
    assertTrue(stats.out().contains(none), stats.out());
    assertTrue(
        status
            .out()
            .contains(
                "run at:   2026-01-01T00:00:05Z (due 40s ago, and no scheduler or reaper runs to"
                    + " move it to pending: start bin/scheduler or bin/reaper)\n"),
        status.out());
    assertTrue(
        stuck
            .out()
            .endsWith(
                "queue emails: a task in scheduled has been due for 40s, and no scheduler or"
                    + " reaper has moved it to pending, though 1 scheduler and 0 reapers run:"
                    + " check their logs\n"),
        stuck.out());
    assertTrue(
        stuckStatus
            .out()
            .contains(
                "(due 40s ago, and no scheduler or reaper has moved it to pending, though 1"
                    + " scheduler and 0 reapers run: check their logs)\n"),
        stuckStatus.out());
  }

  @Test
  void pauseAndResumeSwitchAQueueAndSayWhenItWasSoAlready() {
    submit("--queue", "emails");

    CliRun paused = cli.run("", "pause", "emails");
    CliRun again = cli.run("", "pause", "emails");
    String flag = f.keys.paused("emails");
    assertEquals(String.valueOf(f.clock.millis()), f.client.getBucket(flag).get());
    CliRun resumed = cli.run("", "resume", "emails");
    CliRun notPaused = cli.run("", "resume", "emails");
    CliRun unknown = cli.run("", "pause", "emials");

    assertEquals(0, paused.exitCode(), paused.stderr());
    assertEquals(
        "paused queue emails: workers claim none of its tasks until 'producer resume emails';"
            + " running tasks finish\n",
        paused.out());
    assertEquals("queue emails was already paused\n", again.out());
    assertEquals("resumed queue emails\n", resumed.out());
    assertEquals("queue emails was not paused\n", notPaused.out());
    assertEquals(0, notPaused.exitCode());
    assertFalse(f.client.getBucket(flag).isExists());
    assertEquals(ExitCode.NOT_FOUND.code(), unknown.exitCode());
    assertEquals(
        "producer pause: no queue named 'emials': the queues are emails; a queue appears with its"
            + " first task"
            + cli.lookedIn()
            + "\n",
        unknown.stderr());
  }

  @Test
  void workersShowsTheLiveOnesFromTheirHeartbeats() {
    assertEquals("no workers alive\n", cli.run("", "workers").out());
    beat("w2", "host-b", Duration.ofMinutes(2));
    beat("w1", "host-a", Duration.ofSeconds(30));
    f.clock.advance(Duration.ofMillis(400));

    CliRun text = cli.run("", "workers");
    CliRun json = cli.run("", "workers", "--json");

    assertEquals(0, text.exitCode(), text.stderr());
    assertEquals(
        "ID  HOST    PID  VERSION  QUEUES          BUSY  SLOTS  UP     LAST BEAT  HEAP\n"
            + "w1  host-a  101  0.1.0    default,emails  1     4      30.4s  400ms ago  19.5 of"
            + " 4096 MB\n"
            + "w2  host-b  101  0.1.0    default,emails  1     4      2m00s  400ms ago  19.5 of"
            + " 4096 MB\n",
        text.out());
    List<String> lines = json.out().lines().toList();
    assertEquals(2, lines.size(), json.out());
    long now = f.clock.millis();
    assertEquals(
        "{\"beat_at\":"
            + (now - 400)
            + ",\"busy\":1,\"expires_at\":"
            + (now - 400 + 3000)
            + ",\"heap_after_gc\":20447232,\"heap_max\":4294967296,\"host\":\"host-a\","
            + "\"id\":\"w1\",\"pid\":101,\"queues\":\"default,emails\",\"slots\":4,"
            + "\"started_at\":"
            + (now - 400 - 30_000)
            + ",\"version\":\"0.1.0\"}",
        lines.get(0));
  }

  @Test
  void statsShowsDepthsTheLastMinutesThroughputAndTheWorkers() {
    TaskId failing = submit("--max-retries", "0");
    TaskId done = submit();
    TaskId waiting = submit();
    f.fail("default", failing, "trap: unreachable"); // 1.25 s from the start
    f.recorder.complete(f.claim("default", done), TaskResult.of(new byte[0]), Optional.empty());
    beat("w1", "host-a", Duration.ofMinutes(1));
    f.clock.advance(Duration.ofMillis(750)); // 2 s from the start, when the tasks were due
    CliRun nothingRuns = cli.run("", "stats");
    // Two schedulers and a reaper say they run; a third scheduler's word ran out.
    long now = f.clock.millis();
    f.client.getScoredSortedSet(f.keys.alive("scheduler")).add((double) (now + 4000), "s1");
    f.client.getScoredSortedSet(f.keys.alive("scheduler")).add((double) (now + 100), "s2");
    f.client.getScoredSortedSet(f.keys.alive("scheduler")).add((double) (now - 1), "gone");
    f.client.getScoredSortedSet(f.keys.alive("reaper")).add((double) (now + 4000), "r1");

    CliRun text = cli.run("", "stats");
    CliRun json = cli.run("", "stats", "--json");

    // The window reaches back over the current 10 s bucket and the five before it: 52 s here.
    assertEquals(0, text.exitCode(), text.stderr());
    assertEquals(
        """
        QUEUE    STATE   PENDING  PROCESSING  SCHEDULED  DLQ  DONE/S  FAILED/S  OLDEST PENDING
        default  active  1        0           0          1    0.02    0.02      2s
        workers: 1 alive, 1 of 4 slots busy (at 2026-01-01T00:00:02Z)
        schedulers: 2 alive, reapers: 1 alive
        """,
        text.out(),
        waiting + " has waited 2 s");
    assertTrue(
        nothingRuns
            .out()
            .endsWith(
                "schedulers and reapers: none runs, so no retry, task for later or cron firing"
                    + " reaches its queue (start bin/scheduler and bin/reaper)\n"),
        nothingRuns.out());
    assertEquals(
        "{\"at\":\"2026-01-01T00:00:02Z\",\"queues\":[{\"queue\":\"default\",\"paused\":false,"
            + "\"pending\":1,"
            + "\"processing\":0,\"scheduled\":0,\"dlq\":1,\"next_scheduled_at\":null,"
            + "\"completed_last_minute\":1,"
            + "\"failed_last_minute\":1,\"window_ms\":52000,"
            + "\"completed_per_s\":0.019230769230769232,\"failed_per_s\":0.019230769230769232,"
            + "\"oldest_pending_ms\":2000,\"submitted\":{\"greeter\":3}}],"
            + "\"workers\":{\"alive\":1,\"slots\":4,\"busy\":1},\"schedulers\":2,"
            + "\"reapers\":1}\n",
        json.out());
    CliRun tooOften = cli.run("", "stats", "--watch", "10ms");
    assertEquals(2, tooOften.exitCode());
    assertEquals("producer stats: --watch 10ms: give at least 100ms\n", tooOften.stderr());
    // As given, not as milliseconds.
    assertEquals(
        "producer stats: --watch 0s: give at least 100ms\n",
        cli.run("", "stats", "--watch", "0s").stderr());
  }

  @Test
  void inspectListsTheTasksOfOneStageInItsOrder() {
    TaskId first = submit();
    f.clock.advance(Duration.ofSeconds(1));
    TaskId second = submit();
    TaskId third = submit();
    TaskId later = submit("--in", "1h");
    f.claim("default", first);

    CliRun pending = cli.run("", "inspect");
    CliRun processing = cli.run("", "inspect", "--stage", "processing", "--json");
    CliRun scheduled = cli.run("", "inspect", "--stage", "scheduled", "--limit", "1");
    CliRun dead = cli.run("", "inspect", "--queue", "emails", "--stage", "dead");
    CliRun noneDead = cli.run("", "inspect", "--stage", "dead");
    CliRun wrong = cli.run("", "inspect", "--stage", "running");

    assertEquals(0, pending.exitCode(), pending.stderr());
    assertEquals(
        "ID                                    TASK     STAGE    ATTEMPTS  DUE                   "
            + "WORKER\n"
            + second
            + "  greeter  pending  0         2026-01-01T00:00:01Z  -\n"
            + third
            + "  greeter  pending  0         2026-01-01T00:00:01Z  -\n",
        pending.out(),
        "the next first");
    assertEquals(
        "{\"id\":\""
            + first
            + "\",\"queue\":\"default\",\"name\":\"greeter\",\"stage\":\"in_progress\","
            + "\"attempts\":1,\"created_at\":\"2026-01-01T00:00:00Z\","
            + "\"started\":\"2026-01-01T00:00:01Z\",\"worker_id\":\"w1\"}\n",
        processing.out());
    assertEquals(
        "ID                                    TASK     STAGE      ATTEMPTS  RUN AT                "
            + "WORKER\n"
            + later
            + "  greeter  scheduled  0         2026-01-01T01:00:01Z  -\n"
            + "showing the first 1; --limit shows more\n",
        scheduled.out());
    assertEquals(
        "no dead tasks in queue emails (no task was ever submitted to it: the queues are"
            + " default)\n",
        dead.out(),
        "a queue no task was submitted to is named as such, with the queues there are");
    assertEquals("no dead tasks in queue default\n", noneDead.out(), "a queue in use, empty");
    assertEquals(2, wrong.exitCode());
    assertEquals(
        "producer inspect: --stage 'running' is not one this lists: give pending, processing,"
            + " scheduled, completed or dead\n",
        wrong.stderr());
  }

  /** A heartbeat record as a worker started {@code up} ago writes it, through the real script. */
  private void beat(String id, String host, Duration up) {
    Map<String, String> record = new LinkedHashMap<>();
    record.put("id", id);
    record.put("host", host);
    record.put("pid", "101");
    record.put("version", "0.1.0");
    record.put("queues", "default,emails");
    record.put("slots", "4");
    record.put("busy", "1");
    record.put("heap_after_gc", Long.toString(19_968L * 1024));
    record.put("heap_max", Long.toString(4096L << 20));
    record.put("started_at", Long.toString(f.clock.millis() - up.toMillis()));
    record.put("beat_at", Long.toString(f.clock.millis()));
    new LeaseRenewer(
            f.session.redis(), f.keys, f.clock, id, Duration.ofSeconds(3), Duration.ofSeconds(10))
        .beat(record, List.of());
  }

  private TaskId submit(String... flags) {
    List<String> args = new ArrayList<>(List.of("submit", "--task", "greeter", "--payload", "{}"));
    args.addAll(List.of(flags));
    CliRun run = cli.run("", args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return TaskId.parse(run.out().strip());
  }
}
