package dev.taskqueue.reaper;

import dev.taskqueue.logging.LogFields;
import dev.taskqueue.logging.TaskLogFiles;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.task.Stage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what ended within bounds, per queue: completed tasks (with their results) and dead ones
 * beyond the newest N, or older than an age, are deleted, with their log files where this reaper
 * can reach them (the same machine, or a shared log volume). Workers on other machines keep their
 * own log folders; see docs/operations.md.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
  private static final int BATCH = 500;

  private final ReaperSettings settings;
  private final EndedTasks ended;
  private final Clock clock;

  Retention(ReaperSettings settings, EndedTasks ended, Clock clock) {
    this.settings = settings;
    this.ended = ended;
    this.clock = clock;
  }

  /** Trims one queue; returns how many tasks were deleted. */
  int trim(String queue) {
    return trim(queue, Stage.COMPLETED, settings.keepCompleted(), settings.keepCompletedFor())
        + trim(queue, Stage.DEAD, settings.keepDead(), settings.keepDeadFor());
  }

  private int trim(String queue, Stage stage, long keep, Duration keepFor) {
    int total = 0;
    List<EndedTasks.Deleted> batch;
    do {
      batch = ended.trim(queue, stage, keep, clock.instant().minus(keepFor), BATCH);
      batch.forEach(d -> d.logPath().ifPresent(this::deleteLog));
      total += batch.size();
    } while (batch.size() == BATCH);
    if (total > 0) {
      LOG.atInfo()
          .addKeyValue(LogFields.EVENT, "reaper.trimmed")
          .addKeyValue(LogFields.QUEUE, queue)
          .log("deleted {} {} tasks of queue {} (retention)", total, stage.wireName(), queue);
    }
    return total;
  }

  private void deleteLog(String location) {
    try {
      TaskLogFiles.delete(settings.logDir(), location);
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "reaper.log_not_deleted")
          .log("could not delete log file {}: {}", location, e.toString());
    }
  }
}
