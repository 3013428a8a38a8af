package dev.taskqueue.task;

import java.util.Map;
import java.util.Optional;

/** How a task came to be: submitted to run now, at a set time, or by a cron schedule. */
public enum Kind {
  IMMEDIATE,
  SCHEDULED,
  CRON;

  private static final Map<String, Kind> BY_WIRE_NAME = WireNames.index(values());

  private final String wireName = WireNames.of(this);

  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name; empty for a name task-queue never writes. */
  public static Optional<Kind> fromWire(String wire) {
    return Optional.ofNullable(wire).map(BY_WIRE_NAME::get);
  }
}
