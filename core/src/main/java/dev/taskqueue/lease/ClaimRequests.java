package dev.taskqueue.lease;

import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One claimer's requests of {@code claim.lua}, one at a time. Each is numbered one more than the
 * claimer's latest (its stand-bys draw from the same numbers: {@code claim.lua} and {@code
 * stand_by.lua} keep one record of the claimer's latest request), and each is answered before a new
 * one leaves. A request whose reply is lost (Redis timed out, failed over, or the connection
 * dropped) may still have leased tasks: it stays <em>unanswered</em> and is sent again, unchanged,
 * before any new one, and {@code claim.lua} answers a repeat with what the first copy took. So the
 * worker always learns of every lease it holds. What an answer means for the claimer's view of its
 * queues is {@link Claimer}'s.
 *
 * <p>Used by one thread at a time, as its claimer is.
 */
final class ClaimRequests {
  private final Redis redis;
  private final Clock clock;
  private final ClaimCalls calls;
  private int mostAsked;
  private long numbers;
  private Request unanswered;

  /**
   * One claim request, so that it can be sent again. A resend carries the time it is sent: if the
   * first copy ran, the script answers with the leases that copy made, whatever the time.
   */
  record Request(String queue, long number, int max, List<String> ids) {}

  /**
   * What a reply to a claim from {@code queue} says: the tasks it leased; whether nothing was
   * claimed because the queue is {@code paused} or because tasks {@code handed} to the claimer
   * while it stood by wait in its hand-off set; and otherwise the {@code front} of pending as the
   * claim left it, oldest first, {@code whole} when that is all that is pending.
   */
  record Answer(
      String queue,
      List<Claimed> claimed,
      boolean paused,
      boolean handed,
      List<String> front,
      boolean whole) {}

  /** The claimer of {@code calls}, its requests sent to {@code redis} as of {@code clock}. */
  ClaimRequests(Redis redis, Clock clock, ClaimCalls calls) {
    this.redis = Objects.requireNonNull(redis);
    this.clock = Objects.requireNonNull(clock);
    this.calls = Objects.requireNonNull(calls);
  }

  /** The next request number, for a stand-by: it follows every claim sent before it. */
  long nextNumber() {
    return ++numbers;
  }

  /** Whether a request's reply was lost: it must be sent again before any other. */
  boolean awaitingReply() {
    return unanswered != null;
  }

  /** A new request may not leave while one is unanswered: its leases would go unrenewed. */
  void requireAnswered() {
    if (unanswered != null) {
      throw new IllegalStateException("bug: a new claim while one is unanswered");
    }
  }

  /** A new request, unanswered until its reply comes: a claim of up to {@code max} of the front. */
  Request open(String queue, int max, List<String> front) {
    requireAnswered();
    mostAsked = Math.max(mostAsked, max);
    unanswered =
        new Request(
            queue, ++numbers, max, List.copyOf(front.subList(0, Math.min(max, front.size()))));
    return unanswered;
  }

  /**
   * The request whose reply was lost, for at most {@code max} tasks; null when there is none.
   *
   * @param max the room kept for it: the worker keeps the room a claim was made for until it is
   *     answered, so this is a check
   */
  Request unanswered(int max) {
    if (unanswered != null && unanswered.max() > max) {
      throw new IllegalStateException(
          "bug: an unanswered claim for " + unanswered.max() + " tasks but " + max + " free slots");
    }
    return unanswered;
  }

  /**
   * Sends {@code request}: a {@code repeat} of one whose reply was lost, or its first copy.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer; the request
   *     then stays unanswered
   */
  Answer send(Request request, boolean repeat) {
    int frontSize = frontSize(request);
    Object reply =
        redis.scripts().evalPacked(LuaScript.CLAIM, keys(request), args(request, frontSize));
    return answer(request, repeat, frontSize, (List<?>) reply);
  }

  /**
   * Sends the first copy of {@code request} without waiting for its reply. Until the future
   * completes, nothing else may be sent; what is chained to it runs on the thread that received the
   * reply.
   */
  CompletableFuture<Answer> sendAsync(Request request) {
    int frontSize = frontSize(request);
    return redis
        .scripts()
        .evalPackedAsync(LuaScript.CLAIM, keys(request), args(request, frontSize))
        .thenApply(reply -> answer(request, false, frontSize, (List<?>) reply));
  }

  /**
   * Sends, as a repeat, request {@code number} of {@code queue} for the tasks {@code ids}, which
   * this claimer sent earlier in another form (a stand-by, whose hand-offs its record lists): it
   * renews the leases of those it still holds and returns them. When Redis does not answer, it is
   * not left unanswered: it took nothing new, and a late copy of it takes nothing.
   */
  Answer repeat(String queue, long number, List<String> ids) {
    requireAnswered();
    Request request = new Request(queue, number, ids.size(), List.copyOf(ids));
    unanswered = request;
    try {
      return send(request, true);
    } catch (RuntimeException e) {
      unanswered = null;
      throw e;
    }
  }

  /** How many ids of the front a claim asks the reply to return: enough for the largest claim. */
  private int frontSize(Request request) {
    return Math.max(mostAsked, request.max());
  }

  private List<String> keys(Request request) {
    return calls.claimKeys(request.queue(), request.ids());
  }

  private List<Object> args(Request request, int frontSize) {
    return calls.claimArgs(
        request.number(),
        clock.millis(),
        request.max(),
        frontSize,
        Claimer.MOST_PAYLOAD_BYTES,
        request.ids());
  }

  /**
   * The reply to {@code request}, which is now answered. A repeat's reply says nothing of the front
   * when the lost copy ran, and which it was cannot be told from the reply, so after any repeat the
   * front is not taken as whole; a front shorter than asked for is all that is pending after a
   * claim that took tasks, and an empty one after any claim.
   */
  private Answer answer(Request request, boolean repeat, int frontSize, List<?> reply) {
    unanswered = null;
    List<Claimed> claimed = ClaimReply.tasks(request.queue(), calls.workerId(), reply);
    boolean paused = ((Number) reply.get(3)).longValue() == 1;
    boolean handed = reply.size() > 5 && ((Number) reply.get(5)).longValue() == 1;
    List<?> shown = (List<?>) reply.get(1);
    List<String> front = new ArrayList<>(shown.size());
    shown.forEach(id -> front.add((String) id));
    boolean whole = !repeat && front.size() < frontSize && (!claimed.isEmpty() || front.isEmpty());
    return new Answer(request.queue(), claimed, paused, handed, front, whole);
  }
}
