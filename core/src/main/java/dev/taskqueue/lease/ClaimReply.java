package dev.taskqueue.lease;

import dev.taskqueue.task.CorruptTaskException;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The tasks a reply of {@code claim.lua} leases to a worker: {claimed, front, fields, paused,
 * shapes, handed}, each claimed entry {id, lease token, lease expiry ms, values}. A hand-off
 * ({@code enqueue.lua}) and a stand-down ({@code stand_by.lua}) reply in the same form. A task
 * whose hash cannot be read as one, or says it is another, comes as {@link Claimed.Corrupt}: the
 * worker fails it alone, under its lease, and runs the others.
 */
final class ClaimReply {
  private ClaimReply() {}

  /** The tasks of {@code reply}, leased in {@code queue} to {@code workerId}, oldest first. */
  static List<Claimed> tasks(String queue, String workerId, List<?> reply) {
    List<?> entries = (List<?>) reply.get(0);
    List<Claimed> claimed = new ArrayList<>(entries.size());
    if (!entries.isEmpty()) {
      ClaimedHash.Reply hashes =
          new ClaimedHash.Reply((List<?>) reply.get(2), (List<?>) reply.get(4));
      for (Object entry : entries) {
        claimed.add(read(queue, workerId, (List<?>) entry, hashes));
      }
    }
    return claimed;
  }

  private static Claimed read(
      String queue, String workerId, List<?> entry, ClaimedHash.Reply hashes) {
    String id = (String) entry.get(0);
    Lease lease =
        new Lease(
            new TaskId(id),
            queue,
            workerId,
            ((Number) entry.get(1)).longValue(),
            Instant.ofEpochMilli(((Number) entry.get(2)).longValue()));
    try {
      Task task = TaskHash.readClaimed(hashes.hash((List<?>) entry.get(3)));
      if (!task.id().value().equals(id) || !task.queue().equals(queue)) {
        return new Claimed.Corrupt(
            lease,
            "task hash '"
                + id
                + "' in queue "
                + queue
                + " is corrupt: it says it is task "
                + task.id()
                + " of queue "
                + task.queue());
      }
      return new Claimed.Ready(task, lease);
    } catch (CorruptTaskException e) {
      return new Claimed.Corrupt(lease, e.getMessage());
    }
  }
}
