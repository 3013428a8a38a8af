package dev.taskqueue.worker;

import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The room the dispatcher claims for: free slots and, under load, a backlog that keeps them busy
 * through the next claim's round trip ({@link ClaimRoom}), and room for the tasks' leases, which
 * outcomes still waiting for Redis hold too ({@link HeldLeases}): a slow Redis slows the claims.
 * Room is taken before a claim leaves; what the claim did not use is given back once it is
 * answered, or kept for it while its reply is lost, since it may have leased that many tasks. Tasks
 * handed to the worker under an earlier, larger offer come beyond the room, and take lease room
 * beyond what is free.
 *
 * <p>Used by the dispatcher's thread only.
 */
final class ClaimBudget {
  /** How long a claim waits at most for more slots to come free while the queue is deep. */
  static final Duration GATHER_WAIT = Duration.ofMillis(2);

  private final ClaimRoom room;
  private final HeldLeases held;
  private final Claimer claimer;
  private final int concurrency;

  /**
   * The room, and lease room, of the claim whose reply was lost: meaningful while {@link
   * Claimer#awaitingReply}.
   */
  private int unanswered;

  ClaimBudget(ClaimRoom room, HeldLeases held, Claimer claimer, int concurrency) {
    this.room = room;
    this.held = held;
    this.claimer = claimer;
    this.concurrency = concurrency;
  }

  /**
   * Room for one task at least, waiting at most {@code wait} for it.
   *
   * @return how much room it took; 0 when none came free in time
   */
  int take(Duration wait) throws InterruptedException {
    return room.take(1, wait);
  }

  /** Gives back {@code taken} room that no claim will use. */
  void giveBackRoom(int taken) {
    room.giveBack(taken);
  }

  /**
   * Makes {@code taken} room ready for a claim: a little more where more tasks wait ({@link
   * #gather}), and as much of it as lease room allows, waiting at most {@code wait} for some; the
   * rest is given back.
   *
   * @return how many tasks the claim may take; 0 when no lease room came free in time
   */
  int reserve(int taken, Duration wait) throws InterruptedException {
    int all = taken + gather(taken);
    int free = held.reserve(all, wait);
    room.giveBack(all - free);
    return free;
  }

  /**
   * The room for a wait's claim, should a marker wake it: what is free now, none while the
   * heartbeat is not {@code healthy} (leases made then could not be renewed).
   */
  int forWait(boolean healthy) throws InterruptedException {
    int taken = room.take(1, Duration.ZERO);
    int free = taken > 0 && healthy ? held.reserve(taken, Duration.ZERO) : 0;
    room.giveBack(taken - free);
    return free;
  }

  /** The room kept for the claim whose reply was lost. */
  int unanswered() {
    return unanswered;
  }

  /**
   * The room and lease room of a claim that took {@code unclaimed} fewer tasks than they were
   * reserved for: given back, or, when its reply was lost, kept for it until it is answered.
   */
  void settle(int unclaimed) {
    if (claimer.awaitingReply()) {
      unanswered = unclaimed;
    } else {
      giveBack(unclaimed);
    }
  }

  /** Gives back the room and the lease room reserved for a claim that took fewer tasks. */
  void giveBack(int unclaimed) {
    room.giveBack(unclaimed);
    if (unclaimed >= 0) {
      held.unreserve(unclaimed);
    } else {
      // Handed more than the room it offered (a hand-off made under an earlier, larger offer).
      held.reserveBeyond(-unclaimed);
    }
  }

  /**
   * The tasks of {@code claimed} this worker does not run already, taken beyond the room: handed
   * over under an earlier offer, or claimed again after a hand-off's pop lost its reply.
   */
  List<Claimed> beyondRoom(List<Claimed> claimed) {
    List<Claimed> fresh = notHeld(claimed);
    giveBack(-fresh.size());
    return fresh;
  }

  /** The tasks of {@code claimed} whose leases this worker does not hold already. */
  List<Claimed> notHeld(List<Claimed> claimed) {
    List<Claimed> fresh = new ArrayList<>(claimed.size());
    for (Claimed task : claimed) {
      if (!held.holds(task.lease())) {
        fresh.add(task);
      }
    }
    return fresh;
  }

  /**
   * While more tasks wait than were claimed, lets a little more room come free (for at most {@link
   * #GATHER_WAIT}) so that one claim takes half the slots' worth or more: under load each claim
   * then carries more tasks for its round trip. With nothing known to wait, or slots too slow to
   * free that much room within the wait, claims at once: a slot would only idle meanwhile.
   *
   * @return how much more room it took
   */
  private int gather(int taken) throws InterruptedException {
    int floor = Math.max(1, concurrency / 2);
    if (taken >= floor
        || !claimer.moreWaiting()
        || !room.comesFreeWithin(floor - taken, GATHER_WAIT)) {
      return 0;
    }
    return room.take(floor - taken, GATHER_WAIT);
  }
}
