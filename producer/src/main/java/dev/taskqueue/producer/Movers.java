package dev.taskqueue.producer;

/**
 * How many schedulers and reapers say they run ({@code {P}:alive:<role>}): what moves a due task
 * from a queue's scheduled set to pending. Read only when a task is found overdue ({@link
 * Overdue}), to say whether none runs or those that run have not moved it.
 */
record Movers(long schedulers, long reapers) {
  boolean none() {
    return schedulers + reapers == 0;
  }

  /** "2 schedulers and 1 reaper". */
  String counted() {
    return count(schedulers, "scheduler") + " and " + count(reapers, "reaper");
  }

  private static String count(long n, String role) {
    return n + " " + role + (n == 1 ? "" : "s");
  }
}
