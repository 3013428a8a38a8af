package dev.taskqueue.sandbox;

import com.dylibso.chicory.log.Logger;

/** Chicory's logger, quiet: guest trouble is reported through our own results and logs. */
enum SilentLogger implements Logger {
  INSTANCE;

  @Override
  public void log(Level level, String msg, Throwable throwable) {}

  @Override
  public boolean isLoggable(Level level) {
    return false;
  }
}
