package dev.taskqueue.worker;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.Renewal;
import dev.taskqueue.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The leases this worker holds right now, with their latest known expiry: a lease is held from its
 * claim until Redis has recorded how its attempt ended (or it is lost); the heartbeat renews them
 * all. At most {@code most} are held at once: the dispatcher reserves room before it claims, so
 * outcomes waiting for a slow Redis cannot pile up without end. Thread-safe.
 */
final class HeldLeases {
  private final Map<TaskId, Lease> held = new ConcurrentHashMap<>();
  private final Room room;

  HeldLeases(int most) {
    this.room = new Room(most);
  }

  /** The room, which tasks handed over beyond it may take below none. */
  private static final class Room extends Semaphore {
    Room(int permits) {
      super(permits);
    }

    void takeBeyond(int count) {
      reducePermits(count);
    }
  }

  /**
   * Reserves room for up to {@code wanted} leases, waiting at most {@code wait} for the first.
   *
   * @return how many were reserved: 0 when none came free in time
   */
  int reserve(int wanted, Duration wait) throws InterruptedException {
    if (!room.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return 0;
    }
    int drained = room.drainPermits();
    int more = Math.min(wanted - 1, drained);
    room.release(drained - more);
    return 1 + more;
  }

  /**
   * Takes room for {@code count} leases that came without a reservation (tasks handed to the worker
   * beyond the room it offered): the room may go below none, and reservations then wait until it is
   * back above.
   */
  void reserveBeyond(int count) {
    room.takeBeyond(count);
  }

  /** Whether this very lease (the task under the same token) is held already. */
  boolean holds(Lease lease) {
    Lease now = held.get(lease.taskId());
    return now != null && now.token() == lease.token();
  }

  /** Gives back reserved room that no lease took. */
  void unreserve(int count) {
    room.release(count);
  }

  /**
   * Holds a lease in room reserved for it. A lease it displaces (an earlier attempt at the same
   * task, lost meanwhile) gives its room back.
   */
  void hold(Lease lease) {
    if (held.put(lease.taskId(), lease) != null) {
      room.release();
    }
  }

  /** The attempt's end is recorded (or given up): its lease is no longer held. */
  void forget(Lease lease) {
    if (held.remove(lease.taskId(), current(lease))) {
      room.release();
    }
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
      forget(lease);
    }
  }

  List<Lease> all() {
    return List.copyOf(held.values());
  }

  int size() {
    return held.size();
  }
}
