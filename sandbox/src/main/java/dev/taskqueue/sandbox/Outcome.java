package dev.taskqueue.sandbox;

import java.time.Duration;

/** How one execution ended. */
public sealed interface Outcome {
  Duration elapsed();

  /**
   * {@code execute} returned; {@code result} is the bytes it pointed to, a copy owned by whoever
   * holds this outcome.
   */
  @SuppressWarnings("ArrayRecordComponent")
  record Succeeded(byte[] result, Duration elapsed) implements Outcome {}

  /** The attempt failed; {@code message} is one readable line for the task's error field. */
  record Failed(Failure failure, String message, Duration elapsed) implements Outcome {}

  /** Why an attempt failed. */
  enum Failure {
    /** The guest trapped: unreachable, out-of-bounds access, stack exhausted, ... */
    TRAP,
    /** The guest called proc_exit (exit()) instead of returning a result. */
    EXIT,
    /** The task's time ran out and the guest was interrupted. */
    TIMEOUT,
    /** The worker interrupted the guest because it is shutting down; the task is not at fault. */
    INTERRUPTED,
    /** A cap was hit: memory pages, result size. */
    LIMIT,
    /** The guest broke the ABI: a pointer outside its memory, a bad result. */
    ABI,
    /** The task's module could not be loaded: not compilable, or too large for a worker. */
    MODULE,
    /**
     * The task's module version is no longer in the registry (removed with {@code registry rm
     * --force}): no retry can bring it back.
     */
    MODULE_REMOVED,
    /**
     * Something the worker needs (Redis, for the module's bytes) was unreachable; not the task's
     * fault.
     */
    UNAVAILABLE
  }
}
