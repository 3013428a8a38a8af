package dev.taskqueue.task;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How a task came to be: submitted to run now, at a set time, or by a cron schedule. */
public enum Kind {
  IMMEDIATE,
  SCHEDULED,
  CRON;

  private static final Map<String, Kind> BY_WIRE_NAME = new HashMap<>();

  static {
    for (Kind value : values()) {
      BY_WIRE_NAME.put(value.wireName, value);
    }
  }

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name; empty for a name task-queue never writes. */
  public static Optional<Kind> fromWire(String wire) {
    return Optional.ofNullable(wire).map(BY_WIRE_NAME::get);
  }
}
