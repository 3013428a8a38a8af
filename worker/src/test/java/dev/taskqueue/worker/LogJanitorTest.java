package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogJanitorTest {
  @TempDir Path dir;

  @Test
  void deletesTaskLogsOlderThanTheRetentionAndNothingElse() throws Exception {
    MutableClock clock = MutableClock.atFixedStart();
    Path greeter = Files.createDirectories(dir.resolve("greeter"));
    Path old = Files.writeString(greeter.resolve("old.log"), "started\n");
    Path young = Files.writeString(greeter.resolve("young.log"), "started\n");
    Path other = Files.writeString(greeter.resolve("notes.txt"), "keep\n");
    Files.setLastModifiedTime(old, FileTime.from(clock.instant().minus(Duration.ofDays(8))));
    Files.setLastModifiedTime(other, FileTime.from(clock.instant().minus(Duration.ofDays(8))));
    Files.setLastModifiedTime(young, FileTime.from(clock.instant().minus(Duration.ofDays(6))));

    assertEquals(1, new LogJanitor(dir, Duration.ofDays(7), clock).sweep());

    assertTrue(Files.notExists(old));
    assertTrue(Files.exists(young));
    assertTrue(Files.exists(other), "only task log files");
  }

  @Test
  void aMissingFolderIsNothingToDo() throws Exception {
    assertEquals(
        0,
        new LogJanitor(dir.resolve("none"), Duration.ofDays(7), MutableClock.atFixedStart())
            .sweep());
  }
}
