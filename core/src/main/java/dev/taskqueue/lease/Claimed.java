package dev.taskqueue.lease;

import dev.taskqueue.task.Task;

/**
 * One task a claim took. Either it reads as a task and is ready to run, or its hash is corrupt: it
 * is leased all the same (so it is never stranded in pending or processing) and its holder fails it
 * alone, with its lease, instead of losing the whole batch to it.
 */
public sealed interface Claimed {
  Lease lease();

  /** A task to run. */
  record Ready(Task task, Lease lease) implements Claimed {}

  /** A task whose hash cannot be read; {@code problem} says which field and why. */
  record Corrupt(Lease lease, String problem) implements Claimed {}
}
