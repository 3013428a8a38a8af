package dev.taskqueue.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a task came to be: submitted to run now, at a set time, or by a cron schedule. */
public enum Kind {
  IMMEDIATE,
  SCHEDULED,
  CRON;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind with this wire name; empty for a name task-queue never writes. */
  public static Optional<Kind> fromWire(String wire) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(wire)).findFirst();
  }
}
