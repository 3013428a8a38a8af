package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.PackedReply;
import dev.taskqueue.redis.Redis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Claims tasks for one worker process: up to N of the tasks at the front of a queue in one {@code
 * claim.lua} call that names every key it touches. Which tasks are at the front, the reply of the
 * previous claim says; only when it said none (or another worker took them all) does a claim first
 * read the front itself ({@code LRANGE}). So a worker draining a deep queue spends one round trip
 * per claim. A claim's reply that shows nothing left pending lets the worker wait on the queues'
 * markers without reading them first ({@link #takeDrained}): an idle worker spends two round trips
 * per task that arrives (the wait, the claim), not three. An idle worker that serves one queue
 * spares the claim too: it stands by ({@link #standBy}), and a task submitted meanwhile is leased
 * to it by its enqueue and reaches it by the same wait ({@link #handed}).
 *
 * <p>A claim whose reply is lost (Redis timed out, failed over, or the connection dropped) may
 * still have leased tasks. Such a request stays <em>unanswered</em> and is sent again, unchanged,
 * before any new one ({@link #resendUnanswered}, {@link ClaimRequests}); {@code claim.lua} answers
 * a repeat with what the first copy took, its leases renewed from the repeat's time (the first copy
 * may have run only as Redis came back). So the worker always learns of every lease it holds, with
 * time to renew it.
 *
 * <p>A claim from a paused queue takes nothing and says so. The claimer then leaves that queue
 * alone for {@link #PAUSE_RECHECK}: no round trip for it, and no wait on its marker ({@link
 * #pausedQueues}). So a resumed queue is served again within that time.
 *
 * <p>Used by one thread at a time, not thread-safe: the worker's dispatcher, or, while it waits on
 * a {@link #claimAsync}, the thread the reply arrives on.
 */
public final class Claimer {
  /** How many claims one call makes at most when other workers keep taking the tasks it saw. */
  private static final int MOST_TRIES = 3;

  /**
   * The payload bytes one claim carries at most: it stops after the task whose payload brings it
   * there, so it always takes one. Its reply is built in Redis's memory while every other client
   * waits, then read within the command timeout; unbounded, a worker whose pace with small tasks
   * earned a backlog of 600 claimed 237 tasks of 1 MiB each in one call, whose reply took longer
   * than the timeout and came again, whole, with every repeat.
   */
  public static final int MOST_PAYLOAD_BYTES = 4 << 20;

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final ClaimCalls calls;
  private final ClaimRequests requests;

  /** How long a queue found paused is left alone before a claim asks again. */
  public static final Duration PAUSE_RECHECK = Duration.ofSeconds(1);

  private final QueueFronts fronts = new QueueFronts();
  private final PausedQueues paused;

  /** Whether the latest claim found tasks handed to this worker waiting to be popped. */
  private boolean handedWaiting;

  /**
   * The standing this claimer's latest offer made ({@link #standBy}), as far as it knows: null when
   * it may stand by no longer (a claim or a stand-down withdrew it, or an offer failed).
   *
   * @param until when it ends, ms since the epoch by this claimer's clock
   * @param room how many tasks it still takes: each hand-off takes its tasks' worth
   */
  private record Offer(String queue, long until, int room) {}

  private Offer offer;

  /**
   * @param workerId recorded on each claimed task: the lease is this worker's
   * @param host this worker's host name, recorded on each claimed task and kept in its attempt's
   *     record: the machine whose disk holds the attempt's log file
   * @param leaseDuration how long a claimed task's lease lasts until the worker's heartbeat renews
   *     it ({@link LeaseRenewer})
   */
  public Claimer(
      Redis redis, Keys keys, Clock clock, String workerId, String host, Duration leaseDuration) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.calls = new ClaimCalls(keys, workerId, host, leaseDuration);
    this.requests = new ClaimRequests(redis, clock, calls);
    this.paused = new PausedQueues(clock, PAUSE_RECHECK);
  }

  /**
   * Sends again the claim whose reply was lost, if there is one.
   *
   * @param max the room kept for it: the worker keeps the room a claim was made for until it is
   *     answered, so this is a check
   * @return what it took: the tasks it leased (or, for a first copy that never ran, claims now)
   * @throws dev.taskqueue.error.RedisUnavailableException when it is lost again; it stays
   *     unanswered
   */
  public List<Claimed> resendUnanswered(int max) {
    ClaimRequests.Request unanswered = requests.unanswered(max);
    return unanswered == null ? List.of() : answered(requests.send(unanswered, true));
  }

  /**
   * Whether a claim's reply was lost: until {@link #resendUnanswered} gets one, the worker may hold
   * leases it does not know of, which nothing renews meanwhile.
   */
  public boolean awaitingReply() {
    return requests.awaitingReply();
  }

  /**
   * Claims up to {@code max} tasks from the front of {@code queue}, oldest first; empty when none
   * wait. Resend any unanswered claim first.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer; the claim
   *     then stays unanswered
   */
  public List<Claimed> claim(String queue, int max) {
    requests.requireAnswered();
    if (paused.paused(queue)) {
      return List.of();
    }
    handedWaiting = false;
    for (int tries = 0; tries < MOST_TRIES; tries++) {
      QueueFronts.Front known = fronts.of(queue);
      List<String> front = known.serves(max) ? known.ids() : readFront(queue, max);
      if (front.isEmpty()) {
        return List.of();
      }
      List<Claimed> claimed = answered(requests.send(newRequest(queue, max, front), false));
      if (!claimed.isEmpty() || paused.foundPaused(queue) || handedWaiting) {
        return claimed;
      }
      // Other workers took them all: claim from the front as the reply left it.
    }
    return List.of();
  }

  /**
   * Like {@link #claim}, without waiting for the reply, when no read of the queue is needed first:
   * the front is known, as after {@link #woken} with a marker that named a task. One request, no
   * second try when other workers took the tasks first: the reply says what the front is then.
   * Until the future completes, this claimer must not be used; what is chained to the future runs
   * on the thread that received the reply.
   *
   * @return what it took, or fails as {@link #claim} throws (the claim then stays unanswered);
   *     empty when it would need to read the queue first, or the queue is paused: then {@link
   *     #claim} is the way
   */
  public Optional<CompletableFuture<List<Claimed>>> claimAsync(String queue, int max) {
    requests.requireAnswered();
    QueueFronts.Front known = fronts.of(queue);
    if (paused.paused(queue) || !known.serves(max)) {
      return Optional.empty();
    }
    return Optional.of(
        requests.sendAsync(newRequest(queue, max, known.ids())).thenApply(this::answered));
  }

  /** What came of an offer to stand by ({@link #standBy}). */
  public enum Standing {
    /** It stands by: its wait pops what is handed to it, beside the marker. */
    STANDING,
    /** Tasks were handed to it earlier and wait in its hand-off set: its wait pops them at once. */
    HANDED,
    /** Tasks wait in pending: claim them. */
    PENDING,
    /** The queue is paused. */
    PAUSED
  }

  /**
   * Offers to take up to {@code room} of {@code queue}'s next tasks as they are submitted, for
   * {@code standFor} ({@code stand_by.lua}): an enqueue that finds nothing pending leases them to
   * this worker and hands them over in its hand-off set ({@link #handoffKey}), which the worker's
   * wait pops ({@link #handed}). Such a task passes through one script call on its way to its
   * start, not two. The room stays the worker's until it stands down ({@link #standDown}) or
   * claims.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer: it may then
   *     stand by or not; what is handed to it is popped by its wait as ever
   */
  public Standing standBy(String queue, int room, Duration standFor) {
    requests.requireAnswered();
    if (paused.paused(queue)) {
      return Standing.PAUSED;
    }
    long now = clock.millis();
    String state = standByState(sendStandBy(queue, now, room, standFor));
    return switch (state) {
      case "standing" -> {
        offer = new Offer(queue, now + standFor.toMillis(), room);
        yield Standing.STANDING;
      }
      case "handed" -> Standing.HANDED;
      case "pending" -> {
        fronts.forget(queue);
        yield Standing.PENDING;
      }
      case "paused" -> {
        paused.found(queue);
        fronts.forget(queue);
        yield Standing.PAUSED;
      }
      // A late copy of an older request: this worker has moved on; it claims as after any wait.
      case "stale" -> Standing.PENDING;
      default -> throw new IllegalStateException("bug: stand_by.lua said " + state);
    };
  }

  /**
   * Whether this claimer still stands by for {@code queue}, as its latest offer made it, through a
   * wait of {@code wait} from now, with room for at most {@code room} tasks and at least half that:
   * the worker may then wait without offering again. So an idle worker that is handed task after
   * task offers once in a while, not once a task (one round trip less for each). An offer with more
   * room than the worker has now is not kept (a hand-off would wait for a slot), nor one with far
   * less (tasks would go to pending instead, for a claim). Only a hint, as the standing is: should
   * Redis have lost it, new tasks go to pending and set the marker the wait pops too.
   */
  public boolean standsBy(String queue, int room, Duration wait) {
    return offer != null
        && offer.queue().equals(queue)
        && clock.millis() + wait.toMillis() <= offer.until()
        && offer.room() <= room
        && 2 * offer.room() >= room
        && !paused.paused(queue);
  }

  /**
   * Stops standing by for {@code queue}, and takes what was handed over and not yet popped: leases
   * this worker holds, for it to run or release.
   */
  public List<Claimed> standDown(String queue) {
    List<?> reply = sendStandBy(queue, clock.millis(), 0, Duration.ZERO);
    return tasksOf(queue, reply);
  }

  /** The tasks of a hand-off popped from this worker's hand-off set for {@code queue}. */
  public List<Claimed> handed(String queue, byte[] handoff) {
    List<?> reply = (List<?>) PackedReply.read(handoff);
    // Handed over only when nothing was pending: anything pending since has set the marker.
    fronts.drained(queue);
    List<Claimed> tasks = tasksOf(queue, reply);
    if (offer != null && offer.queue().equals(queue)) {
      int left = offer.room() - tasks.size();
      offer = left > 0 ? new Offer(queue, offer.until(), left) : null;
    }
    return tasks;
  }

  /**
   * The leases this worker may hold from hand-offs whose pop lost its reply: every task handed to
   * it under its latest standing, as its claim record lists them, claimed again as a repeat (which
   * renews their leases and returns those still held). Tasks among them that the worker already
   * runs come back too; the caller leaves those out. When Redis does not answer, this throws and
   * leaves no claim unanswered: the caller asks again.
   */
  public List<Claimed> handedAgain(String queue) {
    requests.requireAnswered();
    offer = null;
    Optional<byte[]> record = redis.getBytes(calls.recordKey(queue));
    if (record.isEmpty()) {
      return List.of();
    }
    List<String> words = new ArrayList<>();
    for (String word : new String(record.get(), StandardCharsets.UTF_8).strip().split(" ", -1)) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    List<String> ids = new ArrayList<>(words.size());
    for (String word : words.subList(1, words.size())) {
      ids.add(word.substring(0, word.lastIndexOf(':')));
    }
    if (ids.isEmpty()) {
      return List.of();
    }
    // When Redis does not answer, the hand-offs stay in doubt with the caller, which asks again.
    return answered(requests.repeat(queue, Long.parseLong(words.get(0)), ids));
  }

  /** The sorted set this worker's hand-offs for {@code queue} are put in ({@code enqueue.lua}). */
  public String handoffKey(String queue) {
    return calls.handoffKey(queue);
  }

  /** Sends {@code stand_by.lua} as of {@code now} (ms since the epoch). */
  private List<?> sendStandBy(String queue, long now, int room, Duration standFor) {
    offer = null;
    return (List<?>)
        redis
            .scripts()
            .evalPacked(
                LuaScript.STAND_BY,
                calls.standByKeys(queue),
                calls.standByArgs(requests.nextNumber(), now, room, standFor));
  }

  private static String standByState(List<?> reply) {
    return String.valueOf(reply.get(6));
  }

  /**
   * Takes note that a queue's marker woke the worker, naming {@code frontTask} as the task at its
   * front (a marker may name none). What the latest claim saw of the queue is then out of date: if
   * it saw the queue drained, that is forgotten ({@link #takeDrained}). If the marker named a task,
   * then unless a claim told more since, the next claim from {@code queue} names that task instead
   * of reading the queue first, which spares an idle worker one round trip when work arrives. Only
   * a hint: claim.lua skips a task taken meanwhile, and its reply tells the front as it is.
   */
  public void woken(String queue, Optional<String> frontTask) {
    fronts.woken(queue, frontTask);
  }

  /**
   * Whether the latest claim from each of {@code queues} (paused ones aside) left nothing pending,
   * with no wake-up for it since. A claim now would then find nothing that the queues' markers do
   * not announce: any task put in {@code pending} since has set one, so the worker may wait on them
   * without reading the queues. True once: it forgets what those claims saw, so after the wait the
   * claims read the queues again, and a marker lost in a Redis restart costs at most one wait.
   */
  public boolean takeDrained(List<String> queues) {
    if (requests.awaitingReply()) {
      return false;
    }
    for (String queue : queues) {
      if (!paused.paused(queue) && !fronts.of(queue).drained()) {
        return false;
      }
    }
    queues.forEach(fronts::forget);
    return true;
  }

  /** Whether the latest claim of some queue saw more tasks waiting at its front. */
  public boolean moreWaiting() {
    return fronts.anyWaiting();
  }

  /**
   * The queues a claim found paused less than {@link #PAUSE_RECHECK} ago: claims of them return
   * nothing without asking Redis, and a worker should not wait on their markers.
   */
  public Set<String> pausedQueues() {
    return paused.all();
  }

  /** The ids at the front of {@code queue}, oldest first. */
  private List<String> readFront(String queue, int max) {
    List<String> front = new ArrayList<>(redis.lrange(keys.pending(queue), -max, -1));
    Collections.reverse(front);
    return front;
  }

  /** The next request: a claim of up to {@code max} of the {@code front}. */
  private ClaimRequests.Request newRequest(String queue, int max, List<String> front) {
    // A claim withdraws the claimer's standing (claim.lua).
    offer = null;
    return requests.open(queue, max, front);
  }

  /** Takes in what a reply to a claim says of its queue, and returns the tasks it leased. */
  private List<Claimed> answered(ClaimRequests.Answer answer) {
    String queue = answer.queue();
    if (answer.paused()) {
      paused.found(queue);
      fronts.forget(queue);
    } else if (answer.handed()) {
      // Tasks were handed to this worker while it stood by: its wait pops them first.
      fronts.drained(queue);
      handedWaiting = true;
    } else {
      paused.resumed(queue);
      fronts.seen(queue, answer.front(), answer.whole());
    }
    return answer.claimed();
  }

  /** The tasks a claim's reply (or a hand-off, which has its form) leases to this worker. */
  private List<Claimed> tasksOf(String queue, List<?> reply) {
    return ClaimReply.tasks(queue, calls.workerId(), reply);
  }
}
