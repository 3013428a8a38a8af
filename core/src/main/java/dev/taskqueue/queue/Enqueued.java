package dev.taskqueue.queue;

import java.util.Optional;

/**
 * What one {@link TaskEnqueuer#enqueueAll} call did with its tasks: all of them are queued, or the
 * first one refused says why, and nothing was written.
 *
 * @param created how many tasks this call created; fewer than sent when an earlier send of the same
 *     call created the others (its reply was lost)
 * @param refused the refused task's index in the call and why ({@link EnqueueResult#MODULE_REMOVED}
 *     or {@link EnqueueResult#MODULE_UNKNOWN}); empty when all are queued
 */
public record Enqueued(int created, Optional<Refused> refused) {
  /** The first task of a call that could not be queued, by its index in the call. */
  public record Refused(int index, EnqueueResult why) {}
}
