package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.redis.RedisStreams;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.tasklog.LogLine;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code producer logs}: a task's output from Redis, filtered, as JSON, and followed. */
@ExtendWith(RedisExtension.class)
class LogsCliTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:01Z");

  @TempDir Path dir;
  private CliFixture cli;
  private Fixture f;
  private TaskId id;

  @BeforeEach
  void setUp(TestRedis redis) {
    cli = new CliFixture(redis, dir);
    f = cli.f;
    f.publish("greeter", "greeter v1");
    CliRun submit = cli.run("", "submit", "--task", "greeter", "--payload", "{}");
    assertEquals(0, submit.exitCode(), submit.stderr());
    id = TaskId.parse(submit.out().strip());
  }

  @Test
  void printsEveryAttemptsLinesAsTheLogFileHasThem() {
    write(1, "stdout", "hello");
    write(1, "stderr", "oops");
    write(2, "stdout", "again");
    write(2, "task", "output cut: 12 bytes past the attempt's cap of 80 bytes");

    CliRun all = cli.run("", "logs", id.value());
    CliRun second = cli.run("", "logs", id.value(), "--attempt", "2", "--stream", "stdout");
    CliRun json = cli.run("", "logs", id.value(), "--stream", "stderr", "--json");

    assertEquals(0, all.exitCode(), all.stderr());
    assertEquals(
        """
        -- attempt 1
        2026-01-01T00:00:01Z stdout hello
        2026-01-01T00:00:01Z stderr oops
        -- attempt 2
        2026-01-01T00:00:01Z stdout again
        2026-01-01T00:00:01Z task output cut: 12 bytes past the attempt's cap of 80 bytes
        """,
        all.out());
    assertEquals(
        """
        -- attempt 2
        2026-01-01T00:00:01Z stdout again
        2026-01-01T00:00:01Z task output cut: 12 bytes past the attempt's cap of 80 bytes
        """,
        second.out());
    assertEquals(
        "{\"time\":\"2026-01-01T00:00:01Z\",\"attempt\":1,\"lease_token\":1,"
            + "\"stream\":\"stderr\",\"line\":\"oops\"}\n"
            + "{\"time\":\"2026-01-01T00:00:01Z\",\"attempt\":2,\"lease_token\":2,"
            + "\"stream\":\"task\",\"line\":"
            + "\"output cut: 12 bytes past the attempt's cap of 80 bytes\"}\n",
        json.out());
  }

  @Test
  void anAttemptAfterAReplayHasAHeaderOfItsOwn() {
    write(1, 1, "stdout", "first run");
    write(1, 2, "stdout", "after the first replay");
    write(2, 3, "stdout", "its retry");
    write(1, 4, "stdout", "after the second replay");

    CliRun all = cli.run("", "logs", id.value());
    CliRun first = cli.run("", "logs", id.value(), "--attempt", "1");

    assertEquals(
        """
        -- attempt 1
        2026-01-01T00:00:01Z stdout first run
        -- attempt 1, after a replay
        2026-01-01T00:00:01Z stdout after the first replay
        -- attempt 2
        2026-01-01T00:00:01Z stdout its retry
        -- attempt 1, after a replay
        2026-01-01T00:00:01Z stdout after the second replay
        """,
        all.out());
    assertEquals(
        """
        -- attempt 1
        2026-01-01T00:00:01Z stdout first run
        -- attempt 1, after a replay
        2026-01-01T00:00:01Z stdout after the first replay
        -- attempt 1, after a replay
        2026-01-01T00:00:01Z stdout after the second replay
        """,
        first.out());
  }

  @Test
  void attemptLastIsTheLatestClaimsAttemptWhateverItsNumber() {
    write(1, 1, "stdout", "first run");
    write(2, 2, "stdout", "its retry");
    write(1, 3, "stdout", "after a replay");
    f.client.getMap(f.keys.task("default", id)).put("lease_token", "3");
    f.client.getMap(f.keys.task("default", id)).put("attempts", "1");

    CliRun last = cli.run("", "logs", id.value(), "--attempt", "last");
    f.client.getMap(f.keys.task("default", id)).put("lease_token", "2");
    f.client.getMap(f.keys.task("default", id)).put("attempts", "2");
    CliRun before = cli.run("", "logs", id.value(), "--attempt", "last", "--json");

    assertEquals(0, last.exitCode(), last.stderr());
    assertEquals(
        """
        -- attempt 1
        2026-01-01T00:00:01Z stdout after a replay
        """,
        last.out());
    assertEquals(
        "{\"time\":\"2026-01-01T00:00:01Z\",\"attempt\":2,\"lease_token\":2,"
            + "\"stream\":\"stdout\",\"line\":\"its retry\"}\n"
            + "{\"time\":\"2026-01-01T00:00:01Z\",\"attempt\":1,\"lease_token\":3,"
            + "\"stream\":\"stdout\",\"line\":\"after a replay\"}\n",
        before.out(),
        "the latest claim's attempt and those after it");
  }

  @Test
  void aTaskThatWroteNothingPrintsNothingAndSaysSoOnStderr() {
    CliRun run = cli.run("", "logs", id.value());
    CliRun json = cli.run("", "logs", id.value(), "--json");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.out(), "the log, empty, for whatever reads it");
    assertEquals(
        "producer logs: task " + id.value() + " has written no output yet: it is pending\n",
        run.stderr());
    assertEquals("", json.out());
    assertEquals(run.stderr(), json.stderr());
  }

  @Test
  void filtersThatLeaveNothingSaySo() {
    write(1, "stdout", "hello");

    CliRun run = cli.run("", "logs", id.value(), "--attempt", "2", "--stream", "stderr");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.out());
    assertEquals(
        "producer logs: no line of task " + id.value() + " matches --attempt 2 --stream stderr\n",
        run.stderr());
  }

  @Test
  void badFlagsAndUnknownTasksAreRefusedInOneLine() {
    CliRun stream = cli.run("", "logs", id.value(), "--stream", "stdin");
    CliRun attempt = cli.run("", "logs", id.value(), "--attempt", "0");
    CliRun unknown = cli.run("", "logs", "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90");

    assertEquals(2, stream.exitCode());
    assertEquals(
        "producer logs: --stream 'stdin' is not a stream: use stdout or stderr\n", stream.stderr());
    assertEquals(2, attempt.exitCode());
    assertEquals(
        "producer logs: --attempt '0' is not an attempt: give its number, counting from 1, or"
            + " last\n",
        attempt.stderr());
    assertEquals(2, cli.run("", "logs", id.value(), "--attempt", "latest").exitCode());
    assertEquals(4, unknown.exitCode(), unknown.stderr());
    assertTrue(unknown.stderr().contains("0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90"), unknown.stderr());
  }

  @Test
  void followPrintsLinesAsTheyComeAndEndsWhenTheTaskEnds() throws Exception {
    write(1, "stdout", "first");
    f.clock.advance(Duration.ofSeconds(1));
    Lease lease = f.claim("default", id);
    CompletableFuture<CliRun> follow =
        CompletableFuture.supplyAsync(() -> cli.run("", "logs", id.value(), "--follow"));
    Thread.sleep(500);
    write(1, "stdout", "second");
    Thread.sleep(200);
    assertTrue(!follow.isDone(), "still following a running task");

    write(1, "stderr", "last");
    f.recorder.complete(
        lease, TaskResult.of("{}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
    CliRun run = follow.get(10, TimeUnit.SECONDS);

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        """
        -- attempt 1
        2026-01-01T00:00:01Z stdout first
        2026-01-01T00:00:01Z stdout second
        2026-01-01T00:00:01Z stderr last
        """,
        run.out());
    assertEquals(
        "producer logs: task " + id + " completed after 1 attempt ('producer result " + id + "')\n",
        run.stderr(),
        "how it ended, on stderr: stdout stays the log");
  }

  @Test
  void aFollowedTaskThatDiesSaysWhyAndHowToRunItAgain() throws Exception {
    CliRun submit =
        cli.run("", "submit", "--task", "greeter", "--payload", "{}", "--max-retries", "0");
    TaskId doomed = TaskId.parse(submit.out().strip());
    f.claim("default", id);
    Lease lease = f.claim("default", doomed);
    CompletableFuture<CliRun> follow =
        CompletableFuture.supplyAsync(() -> cli.run("", "logs", doomed.value(), "--follow"));
    Thread.sleep(300);

    f.recorder.fail(lease, "exited with code 2; last on stderr: bad payload", Optional.empty());
    CliRun run = follow.get(10, TimeUnit.SECONDS);

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.out());
    assertEquals(
        "producer logs: task "
            + doomed
            + " has written no output\n"
            + "producer logs: task "
            + doomed
            + " is dead after 1 attempt: exited with code 2; last on stderr: bad payload"
            + " ('producer dlq replay "
            + doomed
            + "' runs it again)\n",
        run.stderr());
  }

  /** A line of attempt {@code attempt} of a task never replayed: its lease token is its number. */
  private void write(int attempt, String stream, String text) {
    write(attempt, attempt, stream, text);
  }

  private void write(int attempt, long leaseToken, String stream, String text) {
    StringBuilder lines = new StringBuilder();
    LogLine.append(lines, T, stream, text);
    f.session
        .redis()
        .streams()
        .appendAll(
            List.of(
                new RedisStreams.Append(
                    f.keys.taskLog("default", id.value()),
                    LogLine.fields(attempt, leaseToken, lines))));
  }
}
