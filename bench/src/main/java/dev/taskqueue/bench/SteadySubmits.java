package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Tasks submitted one at a time at a steady rate, as a stream of users would, each with the time it
 * was submitted: the offered load of the scenarios that measure a queue below saturation.
 */
final class SteadySubmits {
  private final List<TaskId> ids;
  private final long[] submittedAt;

  private SteadySubmits(List<TaskId> ids, long[] submittedAt) {
    this.ids = List.copyOf(ids);
    this.submittedAt = submittedAt;
  }

  /** Submits {@code tasks} in order, {@code perSecond} of them a second, from this thread. */
  static SteadySubmits submit(BenchSetup setup, List<Submission> tasks, double perSecond) {
    long start = System.nanoTime();
    List<TaskId> ids = new ArrayList<>(tasks.size());
    long[] submittedAt = new long[tasks.size()];
    for (int i = 0; i < tasks.size(); i++) {
      long due = start + (long) (i * 1e9 / perSecond);
      // Parked, not spinning: on a small machine a spinning thread takes the CPU Redis and the
      // worker need.
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      submittedAt[i] = epochNanos(Instant.now());
      ids.add(setup.submitter.submit(tasks.get(i)));
    }
    return new SteadySubmits(ids, submittedAt);
  }

  /**
   * Per task, ms from its submit until it finished. The task hash's {@code finished_at} is in whole
   * milliseconds: the task ended within the millisecond after it, so it counts at that
   * millisecond's end and the figure is never below the truth.
   */
  double[] toFinishMs(TaskInspector inspector, String queue) {
    double[] ms = new double[ids.size()];
    for (int i = 0; i < ms.length; i++) {
      Instant finished = inspector.find(queue, ids.get(i)).orElseThrow().finishedAt().orElseThrow();
      ms[i] = (epochNanos(finished) + 1_000_000L - submittedAt[i]) / 1e6;
    }
    return ms;
  }

  /** The tasks, in the order submitted. */
  List<TaskId> ids() {
    return ids;
  }

  /** When the {@code i}th task was submitted, ns since the epoch, taken just before its submit. */
  long submittedAt(int i) {
    return submittedAt[i];
  }

  /** Seconds from the first submit to the {@code i}th task's. */
  double secondsToSubmit(int i) {
    return (submittedAt[i] - submittedAt[0]) / 1e9;
  }

  static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
