package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.redis.RedisSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The tasks of one queue that have ended (completed or dead) since a scenario took note, and a wait
 * until so many more have: what a scenario waits on once it has submitted. A lease lost on the way
 * is the reaper's to recover (within the lease duration plus its pass); a wait with no task ending
 * for {@link #STALL} is a failure that says where the rest are.
 */
final class EndedTasks {
  /** How long {@link #await} waits with no task ending before it gives up. */
  static final Duration STALL = Duration.ofSeconds(30);

  private final RedisSession session;
  private final String queue;
  private final Path logs;
  private final long before;

  /** The tasks of {@code queue} that have ended so far; {@code logs} is where a stall points. */
  EndedTasks(RedisSession session, String queue, Path logs) {
    this.session = session;
    this.queue = queue;
    this.logs = logs;
    this.before = count();
  }

  /** Waits until {@code more} tasks of the queue have ended since this was made. */
  void await(long more) throws InterruptedException {
    long count = before + more;
    long last = count();
    Instant progressAt = Instant.now();
    while (last < count) {
      Thread.sleep(20);
      long now = count();
      if (now > last) {
        last = now;
        progressAt = Instant.now();
      } else if (Instant.now().isAfter(progressAt.plus(STALL))) {
        throw new TaskQueueException(
            ExitCode.FAILURE,
            String.format(
                "no task ended for %d s, %d of %d still to end (%d pending, %d processing,"
                    + " %d scheduled); see the logs in %s",
                STALL.toSeconds(),
                count - now,
                more,
                session.redis().llen(session.keys().pending(queue)),
                session.redis().llen(session.keys().processing(queue)),
                session.redis().sortedSets().zcard(session.keys().scheduled(queue)),
                logs));
      }
    }
  }

  private long count() {
    return session.redis().llen(session.keys().finished(queue))
        + session.redis().llen(session.keys().dlq(queue));
  }
}
