package dev.taskqueue.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a task is in its life. The names on the wire (the {@code stage} field of the task hash) are
 * the lower-case constant names.
 *
 * <pre>
 *   pending ──claim──▶ in_progress ──complete──▶ completed
 *      ▲                   │  │
 *      └─────release───────┘  └──fail──▶ failed
 * </pre>
 *
 * {@link #DEAD} is where the retry machinery puts a task whose retries are spent (a later issue);
 * until then a failed attempt ends in {@link #FAILED}.
 */
public enum Stage {
  PENDING,
  IN_PROGRESS,
  COMPLETED,
  FAILED,
  DEAD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when no worker will touch the task again unless a person acts. */
  public boolean isFinal() {
    return this == COMPLETED || this == FAILED || this == DEAD;
  }

  /** The stage with this wire name; empty for a name task-queue never writes. */
  public static Optional<Stage> fromWire(String wire) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(wire)).findFirst();
  }
}
