package dev.taskqueue.worker;

import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder of per-task log files, made ready as a worker starts. A worker that cannot write there
 * would run every task and lose every log file, with a warning per task; so it refuses to start and
 * says why, as for any other wrong setting. A folder that fails later (a full disk) is each task's
 * warning, and the task still runs (its output still reaches Redis).
 */
final class LogFolder {
  private LogFolder() {}

  /**
   * Creates {@code dir} if it is missing and checks that a file can be written in it; nothing when
   * {@code dir} is null (log files off).
   *
   * @throws InvalidInputException naming the folder, the reason and the settings to change
   */
  static void prepare(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.createDirectories(dir);
      Files.delete(Files.createTempFile(dir, ".write-check-", ".tmp"));
    } catch (IOException | SecurityException e) {
      throw new InvalidInputException(
          "cannot write task log files in "
              + dir
              + " ("
              + e
              + "): make it a folder this user can write, set "
              + Settings.WASM_LOG_DIR.name()
              + " (--log-dir) to one, or set "
              + Settings.SAVE_WASM_LOGS.name()
              + "=false to keep tasks' output in Redis only");
    }
  }
}
