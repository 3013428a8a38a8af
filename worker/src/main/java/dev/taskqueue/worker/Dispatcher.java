package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.queue.QueueWakeup;
import dev.taskqueue.queue.QueueWakeup.AfterAction;
import dev.taskqueue.redis.RedisOutage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one claiming loop. Duties:
 *
 * <ul>
 *   <li>wait until there is room to claim, then claim as many tasks as there is room for: the free
 *       slots and, under load, a backlog that keeps them busy through the next claim's round trip,
 *       with room for their leases too ({@link ClaimBudget}); queues in their configured order (an
 *       earlier queue is always served first);
 *   <li>hand each claimed task to a slot ({@link ClaimedTasks}), which always runs, fails or
 *       releases it, never drops it;
 *   <li>when a claim's reply is lost, send that claim again before any other, every {@link
 *       #RESEND_WAIT} until answered, so that every lease it may have made reaches a slot before it
 *       runs out;
 *   <li>when nothing is pending, block in Redis on the queues' markers instead of polling, and
 *       claim the task a marker names without reading the queue first, sending that claim and
 *       handing its tasks to slots from the thread that took the marker ({@link WakeClaim}); after
 *       claims that left every queue empty, go to that wait without reading the queues ({@link
 *       Claimer#takeDrained});
 *   <li>leave paused queues alone: no claims and no waits on their markers, until a claim finds one
 *       resumed ({@link Claimer#PAUSE_RECHECK});
 *   <li>when Redis fails, back off and retry instead of dying, and say where the outage ended
 *       ({@link RedisOutage});
 *   <li>claim nothing while the heartbeat is failing: its leases could not be renewed.
 * </ul>
 */
final class Dispatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How long one blocking wait lasts: also the longest a stop request waits for this loop. */
  static final Duration IDLE_WAIT = Duration.ofSeconds(1);

  /** How long to wait before sending again a claim whose reply was lost. */
  static final Duration RESEND_WAIT = Duration.ofMillis(100);

  /**
   * How long a worker's offer to stand by outlasts the wait it makes it for: the next wait renews
   * it, and one that dies standing by is offered tasks for no longer than the wait and this.
   */
  static final Duration STANDING_GRACE = Duration.ofMillis(500);

  /** How often to look again whether the heartbeat is back, while it is failing. */
  private static final Duration HEALTH_WAIT = Duration.ofMillis(50);

  private final WorkerSettings settings;
  private final Claimer claimer;
  private final AttemptRecorder recorder;
  private final QueueWakeup wakeup;
  private final Heartbeat heartbeat;
  private final ClaimBudget budget;
  private final ClaimedTasks claimedTasks;
  private volatile boolean running = true;

  /** This loop's failed calls and where they ended, in its log; used by this loop's thread. */
  private final RedisOutage outage = new RedisOutage(LOG, "worker", "claim", Clock.systemUTC());

  /**
   * Whether a wait that could pop a hand-off failed: its pop may have taken one whose reply was
   * lost, leasing tasks this worker does not know of. Read and written by this loop's thread.
   */
  private boolean handoffInDoubt;

  Dispatcher(
      WorkerSettings settings,
      Claimer claimer,
      AttemptRecorder recorder,
      QueueWakeup wakeup,
      Heartbeat heartbeat,
      ClaimBudget budget,
      ClaimedTasks claimedTasks) {
    this.settings = settings;
    this.claimer = claimer;
    this.recorder = recorder;
    this.wakeup = wakeup;
    this.heartbeat = heartbeat;
    this.budget = budget;
    this.claimedTasks = claimedTasks;
  }

  /** Asks the loop to stop claiming; it ends within {@link #IDLE_WAIT}. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    while (running) {
      try {
        if (!dispatchOnce()) {
          awaitWork();
        }
      } catch (RedisUnavailableException e) {
        // A claim whose reply was lost may have leased tasks this worker does not know of yet:
        // their leases run out a lease duration after the claim was sent, and nothing renews them
        // until the claim is answered. So it is sent again at a steady pace, not after a growing
        // backoff that could outlast them (a Redis paused for 2 s, a lease of 3 s).
        sleep(claimer.awaitingReply() ? outage.failed(e, RESEND_WAIT) : outage.failed(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // A bug must not end the loop silently and leave the worker idle: say so and go on.
        LOG.atError()
            .addKeyValue(LogFields.EVENT, "worker.dispatch_error")
            .setCause(e)
            .log("bug: claiming failed unexpectedly; retrying in {} ms", IDLE_WAIT.toMillis());
        sleep(IDLE_WAIT);
      }
    }
    releaseUnanswered();
  }

  /**
   * Claims for every free slot and starts what it claimed.
   *
   * @return false when no queue had anything pending, so the loop should wait for work
   */
  private boolean dispatchOnce() throws InterruptedException {
    // No heartbeat, no renewals: a task claimed now could lose its lease while it runs.
    if (!heartbeat.healthy()) {
      Thread.sleep(HEALTH_WAIT.toMillis());
      return true;
    }
    if (claimer.awaitingReply()) {
      resendUnanswered();
      outage.answered();
      return true;
    }
    if (handoffInDoubt) {
      List<Claimed> again = claimer.handedAgain(settings.queues().get(0));
      handoffInDoubt = false;
      outage.answered();
      claimedTasks.start(budget.beyondRoom(again));
      return true;
    }
    // Every queue's latest claim left it empty: wait on the markers rather than read the queues.
    if (claimer.takeDrained(settings.queues())) {
      return false;
    }
    // No room: come back to check whether to stop rather than block for good.
    int roomTaken = budget.take(IDLE_WAIT);
    if (roomTaken == 0) {
      claimedTasks.releaseStranded();
      return true;
    }
    if (!running) {
      budget.giveBackRoom(roomTaken);
      return true;
    }
    int free = budget.reserve(roomTaken, IDLE_WAIT);
    if (free == 0) {
      return true;
    }
    List<Claimed> claimed = new ArrayList<>(free);
    try {
      for (String queue : settings.queues()) {
        if (claimed.size() == free) {
          break;
        }
        claimed.addAll(claimer.claim(queue, free - claimed.size()));
      }
      outage.answered();
    } finally {
      budget.settle(free - claimed.size());
      claimedTasks.start(claimed);
    }
    return !claimed.isEmpty();
  }

  /**
   * Sends again the claim whose reply was lost, in the room kept for it. The slots' pace cannot
   * give that room again: no task of the claim could run meanwhile, and while Redis did not answer
   * none could end, so the pace may have fallen to nothing by now.
   */
  private void resendUnanswered() {
    List<Claimed> claimed = List.of();
    try {
      // Leases held already are left out: a repeat returns what its record lists among the ids
      // it names, and the record of a claim that found hand-offs waiting lists those too.
      claimed = budget.notHeld(claimer.resendUnanswered(budget.unanswered()));
    } finally {
      budget.settle(budget.unanswered() - claimed.size());
      claimedTasks.start(claimed);
    }
  }

  /**
   * Waits on the queues' markers for work. With slots free, a marker taken is claimed from the
   * thread that took it (Redisson's event loop), and what the claim takes goes to slots from there
   * too: the claim leaves without waking this thread first, and a task starts without waiting for
   * this thread to wake (see {@link WakeClaim}). Tasks handed to a worker standing by start from
   * there too, and the next wait is sent from there while the standing holds. This thread goes on
   * once that is done.
   */
  private void awaitWork() throws InterruptedException {
    int free = budget.forWait(heartbeat.healthy());
    Optional<Map.Entry<String, String>> handoff;
    try {
      handoff = standBy(free);
    } catch (RuntimeException e) {
      budget.giveBack(free);
      throw e;
    }
    if (handoff == null) {
      budget.giveBack(free);
      return;
    }
    WakeClaim claim = new WakeClaim(free);
    try {
      Optional<QueueWakeup.Woken> woken =
          wakeup.await(IDLE_WAIT, claimer.pausedQueues(), free > 0 ? claim::send : null, handoff);
      outage.answered();
      woken.ifPresent(this::woken);
    } catch (RedisUnavailableException e) {
      handoffInDoubt |= handoff.isPresent();
      throw e;
    } finally {
      budget.settle(free - claim.taken.get());
      claimedTasks.startLeft(claim.left);
    }
  }

  /**
   * With {@code free} room and one queue to serve, offers to take that queue's next tasks as they
   * are submitted ({@link Claimer#standBy}), for as long as the wait lasts: they then come in the
   * worker's hand-off set, which the wait pops beside the marker, with no claim on their way. An
   * offer that still stands through the wait, with about this room, is not made again ({@link
   * Claimer#standsBy}).
   *
   * @return the queue and its hand-off set to wait on too, empty to wait on the markers alone; null
   *     when tasks are pending, to be claimed instead of waiting
   */
  private Optional<Map.Entry<String, String>> standBy(int free) {
    if (free == 0 || settings.queues().size() != 1) {
      return Optional.empty();
    }
    String queue = settings.queues().get(0);
    Optional<Map.Entry<String, String>> handoff =
        Optional.of(Map.entry(queue, claimer.handoffKey(queue)));
    // Handed a task while standing by, with room and time left: wait again as it stands.
    if (claimer.standsBy(queue, free, IDLE_WAIT)) {
      return handoff;
    }
    return switch (claimer.standBy(queue, free, IDLE_WAIT.plus(STANDING_GRACE))) {
      case STANDING, HANDED -> handoff;
      case PENDING -> null;
      case PAUSED -> Optional.empty();
    };
  }

  /**
   * A marker woke this loop: the claimer takes note of what it says ({@link Claimer#woken}); or a
   * hand-off, popped by a wait no action took: its tasks start beyond the room.
   */
  private void woken(QueueWakeup.Woken woken) {
    if (woken.handoff().isPresent()) {
      claimedTasks.start(budget.beyondRoom(claimer.handed(woken.queue(), woken.handoff().get())));
      return;
    }
    claimer.woken(woken.queue(), woken.frontTask());
  }

  /**
   * The claim a marker sets off, for the slots free when the wait began; its sender is the thread
   * that took the marker, while the dispatcher waits for it ({@link QueueWakeup#await}), so the
   * claimer stays in one thread's hands at a time. A marker that names no task, or a front this
   * claim cannot serve, only takes note of the wake: the dispatcher then claims as after any wait.
   * A claim whose reply is lost stays unanswered, and the dispatcher sends it again.
   *
   * <p>Tasks handed over start from the same thread; while room is left of what the wait began with
   * and the worker's standing still holds ({@link Claimer#standsBy}), that thread waits on for the
   * next hand-off, and the dispatcher sleeps on.
   */
  private final class WakeClaim {
    private final int free;

    /** How many tasks it took: read by the dispatcher once the wait has returned. */
    private final AtomicInteger taken = new AtomicInteger();

    /** Tasks no slot could take, which the dispatcher hands over again once the wait returned. */
    private volatile List<Runnable> left = List.of();

    WakeClaim(int free) {
      this.free = free;
    }

    CompletableFuture<?> send(QueueWakeup.Woken woken) {
      if (woken.handoff().isPresent()) {
        started(claimer.handed(woken.queue(), woken.handoff().get()));
        return CompletableFuture.completedFuture(
            waitsOn(woken.queue()) ? AfterAction.WAIT_ON : AfterAction.RETURN);
      }
      claimer.woken(woken.queue(), woken.frontTask());
      return claimer
          .claimAsync(woken.queue(), free - taken.get())
          .<CompletableFuture<?>>map(claim -> claim.thenAccept(this::started))
          .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /** Whether to wait for the next hand-off from here rather than in the dispatcher. */
    private boolean waitsOn(String queue) {
      return running
          && left.isEmpty()
          && free > taken.get()
          && heartbeat.healthy()
          && claimer.standsBy(queue, free - taken.get(), IDLE_WAIT);
    }

    private void started(List<Claimed> claimed) {
      taken.addAndGet(claimed.size());
      left = claimedTasks.offer(claimed);
    }
  }

  /**
   * A claim whose reply was lost may hold leases: on the way out, ask once more and put back what
   * it took, so those tasks run elsewhere now rather than when their leases expire.
   */
  private void releaseUnanswered() {
    try {
      for (Claimed task : claimer.resendUnanswered(Integer.MAX_VALUE)) {
        recorder.release(task.lease());
      }
      if (settings.queues().size() == 1) {
        for (Claimed task : claimer.standDown(settings.queues().get(0))) {
          recorder.release(task.lease());
        }
      }
    } catch (RedisUnavailableException e) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "worker.claim_unanswered")
          .log(
              "a claim's reply was lost while stopping ({}); tasks it may have leased run again"
                  + " once their leases expire",
              e.getMessage());
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
