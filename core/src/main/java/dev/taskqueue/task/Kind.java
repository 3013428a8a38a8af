package dev.taskqueue.task;

import java.util.Arrays;
import java.util.Locale;

/** How a task came to be: submitted to run now, at a set time, or by a cron schedule. */
public enum Kind {
  IMMEDIATE,
  SCHEDULED,
  CRON;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Kind fromWire(String wire) {
    return Arrays.stream(values())
        .filter(k -> k.wireName().equals(wire))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("bug: task hash holds unknown kind '" + wire + "'"));
  }
}
