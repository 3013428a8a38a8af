package dev.taskqueue.lease;

/** What happened to a request to end an attempt ({@code end_attempt.lua}). */
public enum AttemptEnd {
  /** The attempt ended as asked. */
  RECORDED,
  /** It had already ended this way under this lease: an earlier send of the request did it. */
  ALREADY_RECORDED,
  /** The task no longer exists (deleted, or lost with a Redis restart without persistence). */
  TASK_GONE,
  /** The task is no longer in progress under this lease: another claim holds it. */
  LEASE_LOST,
  /** The lease ran out before the request arrived; whoever recovers expired leases takes over. */
  LEASE_EXPIRED;

  /** Whether the attempt stands ended as asked. */
  public boolean recorded() {
    return this == RECORDED || this == ALREADY_RECORDED;
  }

  /** Why the outcome was not recorded, for the worker's log. */
  public String why() {
    return switch (this) {
      case RECORDED, ALREADY_RECORDED -> "it was recorded";
      case TASK_GONE ->
          "the task no longer exists in Redis (deleted, or Redis restarted without persistence)";
      case LEASE_LOST -> "the lease was lost: the task was claimed again";
      case LEASE_EXPIRED -> "the lease expired before the outcome reached Redis";
    };
  }
}
