package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.sandbox.OutputCap;
import dev.taskqueue.task.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class TaskLogTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final Logger output = (Logger) LoggerFactory.getLogger("task-output");
  private final ListAppender<ILoggingEvent> mirrored = new ListAppender<>();

  @AfterEach
  void detach() {
    output.detachAppender(mirrored);
    output.setLevel(null);
    MDC.clear();
  }

  @Test
  void writesEachStreamLineByLineWithTimeAndStream() throws Exception {
    try (TaskLog log = TaskLog.open(task(1), "w1", dir, false, new OutputCap(1 << 20), CLOCK)) {
      log.stdout().write("one\ntw".getBytes(StandardCharsets.UTF_8));
      log.stderr().write("oops\n".getBytes(StandardCharsets.UTF_8));
      log.stdout().write("o".getBytes(StandardCharsets.UTF_8));
      assertEquals(
          Optional.of(dir.resolve("greeter").resolve(RunningTask.ID + ".log").toString()),
          log.path());
    }

    assertEquals(
        List.of(
            "2026-01-01T00:00:00Z task attempt 1 of greeter " + RunningTask.ID + " on w1",
            "2026-01-01T00:00:00Z stdout one",
            "2026-01-01T00:00:00Z stderr oops",
            "2026-01-01T00:00:00Z stdout two"),
        Files.readAllLines(dir.resolve("greeter").resolve(RunningTask.ID + ".log")));
  }

  @Test
  void laterAttemptsAppendToTheSameFile() throws Exception {
    try (TaskLog log = TaskLog.open(task(1), "w1", dir, false, new OutputCap(1 << 20), CLOCK)) {
      log.stdout().write("first\n".getBytes(StandardCharsets.UTF_8));
    }
    try (TaskLog log = TaskLog.open(task(2), "w2", dir, false, new OutputCap(1 << 20), CLOCK)) {
      log.stdout().write("second\n".getBytes(StandardCharsets.UTF_8));
    }

    List<String> lines =
        Files.readAllLines(dir.resolve("greeter").resolve(RunningTask.ID + ".log"));
    assertEquals(4, lines.size());
    assertTrue(lines.get(2).endsWith("task attempt 2 of greeter " + RunningTask.ID + " on w2"));
  }

  /** Issue 16: past the cap, output is dropped and counted, and the log says how much. */
  @Test
  void anAttemptPastItsOutputCapEndsWithHowManyBytesWereCut() throws Exception {
    // Room for "one" and "two" with their overhead, not for a third line.
    OutputCap cap = new OutputCap(2 * (3 + OutputCap.LINE_OVERHEAD));
    try (TaskLog log = TaskLog.open(task(1), "w1", dir, false, cap, CLOCK)) {
      log.stdout().write("one\n".getBytes(StandardCharsets.UTF_8));
      log.stderr().write("two\nthree\n".getBytes(StandardCharsets.UTF_8));
      log.stdout().write(new byte[5000]);
    }
    try (TaskLog log = TaskLog.open(task(2), "w1", dir, false, new OutputCap(1 << 20), CLOCK)) {
      log.stdout().write("again\n".getBytes(StandardCharsets.UTF_8));
    }

    assertEquals(
        List.of(
            "2026-01-01T00:00:00Z task attempt 1 of greeter " + RunningTask.ID + " on w1",
            "2026-01-01T00:00:00Z stdout one",
            "2026-01-01T00:00:00Z stderr two",
            "2026-01-01T00:00:00Z task output cut: 5006 bytes past the attempt's cap of 86 bytes"
                + " (TASK_QUEUE_MAX_OUTPUT_BYTES)",
            "2026-01-01T00:00:00Z task attempt 2 of greeter " + RunningTask.ID + " on w1",
            "2026-01-01T00:00:00Z stdout again"),
        Files.readAllLines(dir.resolve("greeter").resolve(RunningTask.ID + ".log")));
  }

  /** Issue 15: a task that writes nothing costs no file, and says it has none. */
  @Test
  void aTaskThatWritesNothingLeavesNoFile() throws Exception {
    try (TaskLog log = TaskLog.open(task(1), "w1", dir, false, new OutputCap(1 << 20), CLOCK)) {
      assertEquals(Optional.empty(), log.path());
    }

    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(List.of(dir), all.toList(), "no file, no folder");
    }
  }

  /** The last line, handed over when the log closes, still makes the file. */
  @Test
  void anUnterminatedLastLineMakesTheFileWhenTheLogCloses() throws Exception {
    TaskLog log = TaskLog.open(task(1), "w1", dir, false, new OutputCap(1 << 20), CLOCK);
    log.stdout().write("no newline".getBytes(StandardCharsets.UTF_8));
    log.close();

    assertEquals(
        Optional.of(dir.resolve("greeter").resolve(RunningTask.ID + ".log").toString()),
        log.path());
    assertEquals(
        List.of(
            "2026-01-01T00:00:00Z task attempt 1 of greeter " + RunningTask.ID + " on w1",
            "2026-01-01T00:00:00Z stdout no newline"),
        Files.readAllLines(dir.resolve("greeter").resolve(RunningTask.ID + ".log")));
  }

  @Test
  void mirrorsEachLineIntoTheWorkersLogWithTheTaskFields() throws Exception {
    mirrored.start();
    output.addAppender(mirrored);
    output.setLevel(Level.INFO);
    MDC.put(LogFields.TASK_ID, RunningTask.ID.value());

    try (TaskLog log = TaskLog.open(task(1), "w1", null, true, new OutputCap(1 << 20), CLOCK)) {
      log.stdout().write("hello\n".getBytes(StandardCharsets.UTF_8));
      log.stderr().write("warn".getBytes(StandardCharsets.UTF_8));
      assertEquals(Optional.empty(), log.path(), "no file when saving is off");
    }

    assertEquals(2, mirrored.list.size());
    ILoggingEvent first = mirrored.list.get(0);
    assertEquals("hello", first.getFormattedMessage());
    assertEquals(RunningTask.ID.value(), first.getMDCPropertyMap().get(LogFields.TASK_ID));
    assertEquals(LogFields.STREAM, first.getKeyValuePairs().get(0).key);
    assertEquals("stdout", first.getKeyValuePairs().get(0).value);
    assertEquals("warn", mirrored.list.get(1).getFormattedMessage());
    assertEquals("stderr", mirrored.list.get(1).getKeyValuePairs().get(0).value);
    assertTrue(Files.notExists(dir.resolve("greeter")));
  }

  /** Issue 12, item 9: whatever a task is called, its log stays inside the log folder. */
  @Test
  void neverWritesOutsideItsFolder() throws Exception {
    Path logs = dir.resolve("a").resolve("logs");
    String absolute = dir.resolve("elsewhere").toString();
    for (String name : List.of("../../escape", "..", "../logs-2/x", absolute)) {
      try (TaskLog log =
          TaskLog.open(task(1, name), "w1", logs, false, new OutputCap(1 << 20), CLOCK)) {
        log.stdout().write("x\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), log.path(), name);
      }
      assertTrue(Files.notExists(logs.resolve(name).normalize()), name);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      assertEquals(List.of(dir), all.toList(), "nothing written anywhere");
    }
  }

  private static Task task(int attempt) {
    return task(attempt, "greeter");
  }

  private static Task task(int attempt, String name) {
    return RunningTask.of("default", name, attempt, CLOCK);
  }
}
