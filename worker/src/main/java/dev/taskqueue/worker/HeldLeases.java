package dev.taskqueue.worker;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.Renewal;
import dev.taskqueue.task.TaskId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The leases this worker holds right now, with their latest known expiry: the slots add and remove
 * their task's lease, the heartbeat renews them all. Thread-safe.
 */
final class HeldLeases {
  private final Map<TaskId, Lease> held = new ConcurrentHashMap<>();

  void hold(Lease lease) {
    held.put(lease.taskId(), lease);
  }

  void forget(Lease lease) {
    held.remove(lease.taskId(), current(lease));
  }

  /** The lease as last renewed; {@code lease} itself when it was never renewed or is forgotten. */
  Lease current(Lease lease) {
    Lease now = held.get(lease.taskId());
    return now != null && now.token() == lease.token() ? now : lease;
  }

  /** Records a renewal; a lease lost is no longer renewed (its expiry stays what it was). */
  void renewed(Renewal renewal) {
    Lease lease = renewal.lease();
    if (renewal.until().isPresent()) {
      Instant until = renewal.until().get();
      held.computeIfPresent(
          lease.taskId(),
          (id, now) ->
              now.token() == lease.token()
                  ? new Lease(id, now.queue(), now.workerId(), now.token(), until)
                  : now);
    } else {
      held.remove(lease.taskId(), current(lease));
    }
  }

  List<Lease> all() {
    return List.copyOf(held.values());
  }

  int size() {
    return held.size();
  }
}
