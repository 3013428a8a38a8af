package dev.taskqueue.bench;

import dev.taskqueue.config.Settings;
import java.util.Map;

/**
 * How the processes the bench starts log: what a worker does for its own log lines is part of a
 * task's cost (at {@code info}, two lines a task; in JSON, each encoded as an object), so every
 * figure is measured at a level and format named here and reported beside it.
 *
 * @param level their {@code TASK_QUEUE_LOG_LEVEL}: {@code warn} unless asked
 * @param format their {@code TASK_QUEUE_LOG_FORMAT}: {@code pretty} unless asked, as theirs is
 */
record ProcessLogging(String level, String format) {
  static final ProcessLogging DEFAULT = new ProcessLogging("warn", "pretty");

  /** Checked as the processes would check them, before anything starts. */
  ProcessLogging {
    Settings.LOG_LEVEL.parse(level, "--log-level");
    Settings.LOG_FORMAT.parse(format, "--log-format");
  }

  void into(Map<String, String> env) {
    env.put(Settings.LOG_LEVEL.name(), level);
    env.put(Settings.LOG_FORMAT.name(), format);
  }
}
