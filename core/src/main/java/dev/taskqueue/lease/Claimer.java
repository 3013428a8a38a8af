package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.task.CorruptTaskException;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Claims tasks for one worker process. A claim is two round trips: read the front of the queue
 * ({@code LRANGE}), then claim up to N of those tasks in one {@code claim.lua} call that names
 * every key it touches.
 *
 * <p>A claim whose reply is lost (Redis timed out, failed over, or the connection dropped) may
 * still have leased tasks. Such a request stays <em>unanswered</em> and is sent again, unchanged,
 * before any new one ({@link #resendUnanswered}); {@code claim.lua} answers a repeat with what the
 * first copy took. So the worker always learns of every lease it holds.
 *
 * <p>Used by one thread (the worker's dispatcher); not thread-safe.
 */
public final class Claimer {
  /** How long Redis keeps a claimer's record of its latest request. */
  static final Duration RECORD_TTL = Duration.ofMinutes(10);

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final String workerId;
  private final String claimerId;
  private final Duration leaseDuration;
  private long requests;
  private Request unanswered;

  /**
   * One claim request, so that it can be sent again. A resend carries the time it is sent: if the
   * first copy ran, the script answers with the leases that copy made, whatever the time.
   */
  private record Request(String queue, long number, int max, List<String> ids) {}

  /**
   * @param leaseDuration how long a claimed task's lease lasts until the worker's heartbeat renews
   *     it ({@link LeaseRenewer})
   */
  public Claimer(Redis redis, Keys keys, Clock clock, String workerId, Duration leaseDuration) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.workerId = Objects.requireNonNull(workerId);
    this.leaseDuration = Objects.requireNonNull(leaseDuration);
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.claimerId = HexFormat.of().formatHex(id);
  }

  /**
   * Sends again the claim whose reply was lost, if there is one.
   *
   * @param max free slots; a request is never sent for more than the slots free when it was made,
   *     and slots only free up until its answer, so this is a check
   * @return what it took: the tasks it leased (or, for a first copy that never ran, claims now)
   * @throws dev.taskqueue.error.RedisUnavailableException when it is lost again; it stays
   *     unanswered
   */
  public List<Claimed> resendUnanswered(int max) {
    if (unanswered == null) {
      return List.of();
    }
    if (unanswered.max() > max) {
      throw new IllegalStateException(
          "bug: an unanswered claim for " + unanswered.max() + " tasks but " + max + " free slots");
    }
    return send(unanswered);
  }

  /**
   * Claims up to {@code max} tasks from the front of {@code queue}, oldest first; empty when none
   * wait. Resend any unanswered claim first.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer; the claim
   *     then stays unanswered
   */
  public List<Claimed> claim(String queue, int max) {
    if (unanswered != null) {
      throw new IllegalStateException("bug: a new claim while one is unanswered");
    }
    List<String> front = redis.lrange(keys.pending(queue), -max, -1);
    if (front.isEmpty()) {
      return List.of();
    }
    List<String> oldestFirst = new ArrayList<>(front);
    Collections.reverse(oldestFirst);
    unanswered = new Request(queue, ++requests, max, List.copyOf(oldestFirst));
    return send(unanswered);
  }

  private List<Claimed> send(Request request) {
    String queue = request.queue();
    List<String> claimKeys = new ArrayList<>();
    claimKeys.add(keys.pending(queue));
    claimKeys.add(keys.processing(queue));
    claimKeys.add(keys.timeout(queue));
    claimKeys.add(keys.marker(queue));
    claimKeys.add(keys.claimRecord(queue, claimerId));
    request.ids().forEach(id -> claimKeys.add(keys.task(queue, id)));
    List<Object> args = new ArrayList<>();
    args.add(workerId);
    args.add(request.number());
    args.add(clock.millis());
    args.add(request.max());
    args.add(leaseDuration.toMillis());
    args.add(RECORD_TTL.toMillis());
    args.addAll(request.ids());
    List<?> reply = redis.evalList(LuaScript.CLAIM, claimKeys, args);
    unanswered = null;
    List<Claimed> claimed = new ArrayList<>(reply.size());
    for (Object entry : reply) {
      claimed.add(read(queue, (List<?>) entry));
    }
    return claimed;
  }

  /** One entry of the reply: {id, token, expiry, hash}. */
  private Claimed read(String queue, List<?> entry) {
    String id = String.valueOf(entry.get(0));
    Lease lease =
        new Lease(
            new TaskId(id),
            queue,
            workerId,
            ((Number) entry.get(1)).longValue(),
            Instant.ofEpochMilli(((Number) entry.get(2)).longValue()));
    try {
      Task task = TaskHash.read(pairs((List<?>) entry.get(3)));
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

  private static Map<String, String> pairs(List<?> flat) {
    Map<String, String> map = new HashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return map;
  }
}
