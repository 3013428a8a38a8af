package dev.taskqueue.queue;

/** What {@link TaskEnqueuer#enqueue} did with a task. */
public enum EnqueueResult {
  /** The task was created and queued. */
  ENQUEUED,
  /** A task with this id was there already: an earlier send of the same request created it. */
  ALREADY_ENQUEUED,
  /**
   * The task's module version was removed from the registry (in this queue the name is retired):
   * nothing was written.
   */
  MODULE_REMOVED,
  /**
   * The task left its module version to its queue ({@link dev.taskqueue.task.NewTask#NEWEST}),
   * which knows none of its name: nothing was written. Read the registry and name the version.
   */
  MODULE_UNKNOWN,
  /**
   * A call sent to follow a task ({@link TaskEnqueuer#enqueueAllAsync}) arrived before that task
   * was created: nothing was written. Send it again once the call creating that task is answered.
   */
  TOO_EARLY;

  /** Whether the task is in its queue now. */
  public boolean queued() {
    return this == ENQUEUED || this == ALREADY_ENQUEUED;
  }
}
