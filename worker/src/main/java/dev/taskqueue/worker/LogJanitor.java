package dev.taskqueue.worker;

import dev.taskqueue.logging.LogFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this worker's log folder from growing without bound. The reaper deletes the log file of a
 * task it deletes only where it can reach it (the same machine, or a shared volume); on a worker's
 * own disk, this loop deletes task log files older than the longest retention (of completed and of
 * dead tasks), at start and then every hour. By then their tasks are gone from Redis too.
 */
final class LogJanitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogJanitor.class);
  static final Duration EVERY = Duration.ofHours(1);

  private final Path logDir;
  private final Duration keepFor;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "log-janitor");
            thread.setDaemon(true);
            return thread;
          });

  LogJanitor(Path logDir, Duration keepFor, Clock clock) {
    this.logDir = logDir;
    this.keepFor = keepFor;
    this.clock = clock;
  }

  void start() {
    // sweepSafely() catches everything, so the schedule never ends by an exception to report.
    var unused =
        timer.scheduleWithFixedDelay(this::sweepSafely, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Deletes the {@code .log} files under the folder last modified before the retention.
   *
   * @return how many were deleted
   */
  int sweep() throws IOException {
    if (!Files.isDirectory(logDir)) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(keepFor);
    List<Path> old;
    try (Stream<Path> files = Files.walk(logDir)) {
      old =
          files
              .filter(f -> f.getFileName().toString().endsWith(".log"))
              .filter(f -> Files.isRegularFile(f) && modifiedBefore(f, cutoff))
              .toList();
    }
    int deleted = 0;
    for (Path file : old) {
      if (Files.deleteIfExists(file)) {
        deleted++;
      }
    }
    return deleted;
  }

  private static boolean modifiedBefore(Path file, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(file).toInstant().isBefore(cutoff);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void sweepSafely() {
    try {
      int deleted = sweep();
      if (deleted > 0) {
        LOG.atInfo()
            .addKeyValue(LogFields.EVENT, "worker.logs_trimmed")
            .log("deleted {} task log files older than {}", deleted, keepFor);
      }
    } catch (IOException | RuntimeException e) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "worker.logs_not_trimmed")
          .log("could not trim the task log folder {}: {}", logDir, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
