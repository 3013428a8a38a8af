package dev.taskqueue.queue;

/** What {@link TaskEnqueuer#enqueue} did. */
public enum EnqueueResult {
  /** The task was created and queued. */
  ENQUEUED,
  /** A task with this id was there already: an earlier send of the same request created it. */
  ALREADY_ENQUEUED,
  /**
   * The task's module version was removed from the registry (in this queue the name is retired):
   * nothing was written.
   */
  MODULE_REMOVED;

  /** Whether the task is in its queue now. */
  public boolean queued() {
    return this != MODULE_REMOVED;
  }
}
