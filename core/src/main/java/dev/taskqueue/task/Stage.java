package dev.taskqueue.task;

import java.util.Map;
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
 *
 * A failure no retry can mend (the task's module version was removed, its hash is corrupt) goes to
 * dead with retries left.
 */
public enum Stage {
  SCHEDULED,
  PENDING,
  IN_PROGRESS,
  RETRYING,
  COMPLETED,
  DEAD,
  CANCELLED;

  private static final Map<String, Stage> BY_WIRE_NAME = WireNames.index(values());

  private final String wireName = WireNames.of(this);

  public String wireName() {
    return wireName;
  }

  /** True when no worker will touch the task again unless a person acts. */
  public boolean isFinal() {
    return this == COMPLETED || this == DEAD || this == CANCELLED;
  }

  /** The stage with this wire name; empty for a name task-queue never writes. */
  public static Optional<Stage> fromWire(String wire) {
    return Optional.ofNullable(wire).map(BY_WIRE_NAME::get);
  }
}
