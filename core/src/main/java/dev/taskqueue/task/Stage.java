package dev.taskqueue.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a task is in its life. The names on the wire (the {@code stage} field of the task hash) are
 * the lower-case constant names.
 *
 * <pre>
 *   scheduled ──promote (due)──▶ pending         pending, scheduled, retrying ──cancel──▶ cancelled
 *
 *   pending ──claim──▶ in_progress ──completed──▶ completed
 *    ▲  ▲                 │  │  │
 *    │  └────released─────┘  │  └──failed or lost, retries spent──▶ dead ──replay──▶ pending
 *    │                       │
 *    └──promote── retrying ◀─┘ failed or lost, retries left (waits its backoff in scheduled)
 * </pre>
 */
public enum Stage {
  SCHEDULED,
  PENDING,
  IN_PROGRESS,
  RETRYING,
  COMPLETED,
  DEAD,
  CANCELLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when no worker will touch the task again unless a person acts. */
  public boolean isFinal() {
    return this == COMPLETED || this == DEAD || this == CANCELLED;
  }

  /** The stage with this wire name; empty for a name task-queue never writes. */
  public static Optional<Stage> fromWire(String wire) {
    return Arrays.stream(values()).filter(k -> k.wireName().equals(wire)).findFirst();
  }
}
