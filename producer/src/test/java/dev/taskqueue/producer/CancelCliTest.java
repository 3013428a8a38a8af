package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
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
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer cancel}: at every stage a task can be in. */
@ExtendWith(RedisExtension.class)
class CancelCliTest {
  private static final String UNKNOWN = "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90";

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
  void cancelsAPendingTaskAndKeepsItAsCancelled() {
    TaskId other = submit();
    TaskId id = submit();
    f.clock.advance(Duration.ofSeconds(5));
    Map<String, Object> before = f.state();

    CliRun run = cli.run("", "cancel", id.value());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("cancelled " + id + "\n", run.out());
    assertEquals("", run.stderr());
    Map<String, String> hash = new TreeMap<>(f.hash(f.keys.task("default", id)));
    @SuppressWarnings("unchecked")
    Map<String, String> was =
        new TreeMap<>((Map<String, String>) before.get(f.keys.task("default", id)));
    was.put("stage", "cancelled");
    was.put("finished_at", Long.toString(f.clock.millis()));
    assertEquals(was, hash);
    Map<String, Object> after = f.state();
    assertEquals(List.of(other.value()), after.get(f.keys.pending("default")));
    assertEquals(List.of(id.value()), after.get(f.keys.finished("default")));
    assertEquals(Map.of("greeter", "1"), after.get(f.keys.open("default")));
    String status = cli.run("", "status", id.value()).out();
    assertTrue(status.contains("\nstage:     cancelled\n"), status);
    assertTrue(status.contains("\ncancelled: 2026-01-01T00:00:05Z\n"), status);
    CliRun result = cli.run("", "result", id.value());
    assertEquals(1, result.exitCode());
    assertEquals(
        "producer result: task "
            + id
            + " was cancelled before it ran: it has no result and will not run (see 'producer"
            + " status "
            + id
            + "')\n",
        result.stderr());
  }

  @Test
  void cancelsAScheduledTaskWhichThenNeverRuns() {
    TaskId id = submit("--in", "1h");

    CliRun run = cli.run("", "cancel", id.value());
    f.clock.advance(Duration.ofHours(2));

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("cancelled " + id + "\n", run.out());
    assertEquals(0, f.promoter.promote("default", 10), "nothing left to promote");
    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.scheduled("default")));
    assertNull(state.get(f.keys.pending("default")));
    assertNull(state.get(f.keys.open("default")), "no unfinished task of greeter is left");
    assertEquals("cancelled", f.hash(f.keys.task("default", id)).get("stage"));
  }

  @Test
  void cancelsATaskWaitingForARetry() {
    TaskId id = submit();
    f.fail("default", id, "trap: unreachable");

    CliRun run = cli.run("", "cancel", id.value());

    assertEquals(0, run.exitCode(), run.stderr());
    assertNull(f.state().get(f.keys.scheduled("default")));
    assertEquals("cancelled", f.hash(f.keys.task("default", id)).get("stage"));
  }

  @Test
  void cancellingAgainSaysSoAndChangesNothing() {
    TaskId id = submit();
    assertEquals(0, cli.run("", "cancel", id.value()).exitCode());
    f.clock.advance(Duration.ofSeconds(1));
    Map<String, Object> before = f.state();

    CliRun again = cli.run("", "cancel", id.value());

    assertEquals(0, again.exitCode(), again.stderr());
    assertEquals("task " + id + " was cancelled already\n", again.out());
    assertEquals(before, f.state());
  }

  @Test
  void aRunningOrEndedTaskIsNotCancelled() {
    TaskId running = submit();
    f.claim("default", running);
    TaskId completed = submit();
    complete(completed);
    TaskId dead = submit("--max-retries", "0");
    f.fail("default", dead, "trap: unreachable");
    Map<String, Object> before = f.state();

    CliRun runningRun = cli.run("", "cancel", running.value());
    CliRun completedRun = cli.run("", "cancel", completed.value());
    CliRun deadRun = cli.run("", "cancel", dead.value());

    assertEquals(
        "producer cancel: task "
            + running
            + " is running: it cannot be cancelled yet; wait for it to end (see 'producer status "
            + running
            + "')\n",
        runningRun.stderr());
    assertEquals(
        "producer cancel: task "
            + completed
            + " has ended already (completed): there is nothing to cancel (see 'producer status "
            + completed
            + "')\n",
        completedRun.stderr());
    assertEquals(
        "producer cancel: task "
            + dead
            + " has ended already (dead): there is nothing to cancel (see 'producer status "
            + dead
            + "')\n",
        deadRun.stderr());
    for (CliRun run : List.of(runningRun, completedRun, deadRun)) {
      assertEquals(1, run.exitCode(), run.stderr());
      assertEquals("", run.out());
    }
    assertEquals(before, f.state());
  }

  @Test
  void anUnknownOrMalformedIdIsOneLineAndItsOwnExitCode() {
    submit();
    Map<String, Object> before = f.state();

    CliRun unknown = cli.run("", "cancel", UNKNOWN);
    CliRun malformed = cli.run("", "cancel", "42");
    CliRun missing = cli.run("", "cancel");

    assertEquals(4, unknown.exitCode());
    assertEquals(
        "producer cancel: task "
            + UNKNOWN
            + " not found: no queue under key prefix '"
            + f.redis.prefix()
            + "' has it; check the id, and TASK_QUEUE_KEY_PREFIX or --key-prefix if it was"
            + " submitted under another prefix"
            + cli.lookedIn()
            + "\n",
        unknown.stderr());
    assertEquals(2, malformed.exitCode());
    assertEquals(
        "producer cancel: task id '42' is not a task id: expected the UUID that 'producer"
            + " submit' printed, e.g. 0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90\n",
        malformed.stderr());
    assertEquals(2, missing.exitCode());
    assertEquals(
        "producer cancel: Missing required parameter: 'ID' (see 'producer cancel --help')\n",
        missing.stderr());
    assertEquals("", unknown.out() + malformed.out() + missing.out());
    assertEquals(before, f.state());
  }

  private TaskId submit(String... flags) {
    List<String> args = new ArrayList<>(List.of("submit", "--task", "greeter", "--payload", "{}"));
    args.addAll(List.of(flags));
    CliRun run = cli.run("", args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.stderr());
    return TaskId.parse(run.out().strip());
  }

  private void complete(TaskId id) {
    f.clock.advance(Duration.ofSeconds(1));
    Lease lease = f.claim("default", id);
    f.recorder.complete(
        lease, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
  }
}
