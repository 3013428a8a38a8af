package dev.taskqueue.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Deletes the log file of a task that is deleted from Redis (retention, a purge of the dead-letter
 * queue), where this process can reach it. A location read from Redis is never trusted further than
 * the configured log folder: anything outside it is left alone.
 */
public final class TaskLogFiles {
  private TaskLogFiles() {}

  /**
   * Deletes {@code location} if it lies inside {@code logDir}.
   *
   * @param logDir the absolute, normalized log folder; null when logs are not saved here
   * @return whether a file was deleted
   * @throws IOException when the file is there but cannot be deleted
   */
  public static boolean delete(Path logDir, String location) throws IOException {
    if (logDir == null) {
      return false;
    }
    Path path;
    try {
      path = Path.of(location).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      return false;
    }
    return path.startsWith(logDir) && !path.equals(logDir) && Files.deleteIfExists(path);
  }
}
