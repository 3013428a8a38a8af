package dev.taskqueue.reaper;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a reaper process runs with, read once from its {@link Config}.
 *
 * @param interval the longest the reaper sleeps between sweeps
 * @param logDir the folder of per-task log files this reaper may delete from (retention), or null
 */
public record ReaperSettings(
    Duration interval,
    long keepCompleted,
    Duration keepCompletedFor,
    long keepDead,
    Duration keepDeadFor,
    Path logDir) {

  public static ReaperSettings from(Config config) {
    return new ReaperSettings(
        config.get(Settings.REAPER_INTERVAL),
        config.get(Settings.KEEP_COMPLETED),
        config.get(Settings.KEEP_COMPLETED_FOR),
        config.get(Settings.KEEP_DEAD),
        config.get(Settings.KEEP_DEAD_FOR),
        config.get(Settings.SAVE_WASM_LOGS)
            ? config.get(Settings.WASM_LOG_DIR).toAbsolutePath().normalize()
            : null);
  }
}
