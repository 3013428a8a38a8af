package dev.taskqueue.tasklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.redis.RedisStreams;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task's output in Redis, read whole or followed while it is written, on a real Redis. */
@ExtendWith(RedisExtension.class)
class TaskLogsTest {
  private RedisSession session;
  private Keys keys;
  private RedisStreams streams;
  private TaskLogs logs;
  private final TaskId id = new TaskIdGenerator(Clock.systemUTC()).next();

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    keys = session.keys();
    streams = session.redis().streams();
    logs = new TaskLogs(session.redis(), keys);
  }

  @Test
  void readsEveryLineInOrderAcrossPages() {
    int count = 2 * TaskLogs.PAGE + 500;
    List<RedisStreams.Append> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(line(i % 2 == 0 ? "stdout" : "stderr", "line " + i));
    }
    streams.appendAll(lines);

    List<LogLine> read = logs.read("default", id);

    assertEquals(count, read.size());
    for (int i = 0; i < count; i++) {
      assertEquals("line " + i, read.get(i).text());
    }
    assertEquals("stderr", read.get(1).stream());
    assertEquals(2, read.get(0).attempt());
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), read.get(0).time());
  }

  @Test
  void anEntryHoldsTheLinesOfOneAttemptSentTogether() {
    StringBuilder lines = new StringBuilder();
    LogLine.append(lines, Instant.ofEpochMilli(1000), "stdout", "one two");
    LogLine.append(lines, Instant.ofEpochMilli(2000), "stderr", "");
    LogLine.append(lines, Instant.ofEpochMilli(3000), "task", "output cut: 5 bytes");
    streams.appendAll(
        List.of(
            new RedisStreams.Append(
                keys.taskLog("default", id.value()), LogLine.fields(3, 7, lines))));

    List<LogLine> read = logs.read("default", id);

    assertEquals(
        List.of(
            "1970-01-01T00:00:01Z stdout one two",
            "1970-01-01T00:00:02Z stderr ",
            "1970-01-01T00:00:03Z task output cut: 5 bytes"),
        read.stream().map(LogLine::toString).toList());
    assertTrue(
        read.stream()
            .allMatch(
                l -> l.attempt() == 3 && l.leaseToken() == 7 && l.id().equals(read.get(0).id())));
  }

  @Test
  void anEntryWrittenBeforeLeaseTokensReadsAsTokenZero() {
    StringBuilder lines = new StringBuilder();
    LogLine.append(lines, Instant.ofEpochMilli(1000), "stdout", "old");
    streams.appendAll(
        List.of(
            new RedisStreams.Append(
                keys.taskLog("default", id.value()), Map.of("a", "2", "l", lines.toString()))));

    LogLine read = logs.read("default", id).get(0);

    assertEquals(List.of(2, 0L, "old"), List.of(read.attempt(), read.leaseToken(), read.text()));
  }

  @Test
  void aTaskThatWroteNothingHasNoLines() {
    assertEquals(List.of(), logs.read("default", id));
  }

  @Test
  void followHandsOverLinesAsTheyComeAndEndsWhenTheTaskHasEnded() throws Exception {
    streams.appendAll(List.of(line("stdout", "before")));
    AtomicBoolean ended = new AtomicBoolean();
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> follower =
        CompletableFuture.runAsync(
            () -> {
              try {
                logs.follow("default", id, ended::get, l -> seen.add(l.text()));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    waitFor(seen, 1);
    streams.appendAll(List.of(line("stdout", "during 1")));
    waitFor(seen, 2);
    // The last lines are written before the end is recorded, as a worker does.
    streams.appendAll(List.of(line("stderr", "last"), line("task", "output cut: 9 bytes")));
    ended.set(true);
    follower.get(10, TimeUnit.SECONDS);

    assertEquals(List.of("before", "during 1", "last", "output cut: 9 bytes"), seen);
  }

  @Test
  void followOfATaskThatNeverWritesEndsWithIt() throws Exception {
    AtomicBoolean ended = new AtomicBoolean();
    List<LogLine> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> follower =
        CompletableFuture.runAsync(
            () -> {
              try {
                logs.follow("default", id, ended::get, seen::add);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);
    assertTrue(!follower.isDone(), "still following a task that has not ended");

    ended.set(true);
    follower.get(10, TimeUnit.SECONDS);

    assertEquals(List.of(), seen);
  }

  private RedisStreams.Append line(String stream, String text) {
    StringBuilder lines = new StringBuilder();
    LogLine.append(lines, Instant.ofEpochMilli(1_700_000_000_000L), stream, text);
    return new RedisStreams.Append(
        keys.taskLog("default", id.value()), LogLine.fields(2, 2, lines));
  }

  private static void waitFor(List<?> seen, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (seen.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(size, seen.size(), seen.toString());
  }
}
