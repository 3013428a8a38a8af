package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogFolder}: a worker's task log folder, made ready or refused at its start. */
class LogFolderTest {
  @TempDir Path dir;

  @Test
  void aMissingFolderIsMadeAndLeftEmpty() throws IOException {
    Path logs = dir.resolve("var/task-logs");

    LogFolder.prepare(logs);

    assertTrue(Files.isDirectory(logs));
    try (Stream<Path> files = Files.list(logs)) {
      assertEquals(0, files.count(), "the write check leaves nothing behind");
    }
  }

  @Test
  void aFolderThatCannotBeMadeIsRefusedWithWhatToChange() throws IOException {
    // A path under a plain file cannot be a folder, whoever runs the test (root included).
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path logs = file.resolve("logs");

    String message =
        assertThrows(InvalidInputException.class, () -> LogFolder.prepare(logs)).getMessage();

    assertTrue(message.startsWith("cannot write task log files in " + logs + " ("), message);
    assertTrue(
        message.endsWith(
            "): make it a folder this user can write, set TASK_QUEUE_WASM_LOG_DIR (--log-dir) to"
                + " one, or set TASK_QUEUE_SAVE_WASM_LOGS=false to keep tasks' output in Redis"
                + " only"),
        message);
  }

  @Test
  void noFolderWhenLogFilesAreOff() {
    assertDoesNotThrow(() -> LogFolder.prepare(null));
  }
}
