package dev.taskqueue.queue;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Pauses and resumes queues ({@code pause_queue.lua}). Workers claim nothing from a paused queue;
 * the tasks they run finish, and new tasks still join its pending list, to run once it is resumed.
 */
public final class QueuePauses {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public QueuePauses(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Pauses {@code queue}.
   *
   * @return false when it was paused already
   * @throws NotFoundException when no task was ever submitted to {@code queue}: most likely a typo
   */
  public boolean pause(String queue) {
    return send(queue, "pause");
  }

  /**
   * Resumes {@code queue}: idle workers that serve it wake for its pending tasks.
   *
   * @return false when it was not paused
   * @throws NotFoundException when no task was ever submitted to {@code queue}
   */
  public boolean resume(String queue) {
    return send(queue, "resume");
  }

  /** Which of {@code queues} are paused, and since when, in one round trip. */
  public Map<String, Instant> pausedSince(Collection<String> queues) {
    List<String> flags = new ArrayList<>(queues.size());
    queues.forEach(queue -> flags.add(keys.paused(queue)));
    Map<String, String> values = redis.values(flags);
    Map<String, Instant> paused = new LinkedHashMap<>();
    for (String queue : queues) {
      String since = values.get(keys.paused(queue));
      if (since != null) {
        paused.put(queue, Instant.ofEpochMilli(Long.parseLong(since)));
      }
    }
    return paused;
  }

  private boolean send(String queue, String action) {
    QueueName.check(queue);
    // The queue index lives in another slot than the queue's keys: checked first, not atomically.
    // A queue is never taken out of the index, so the check cannot go stale.
    TreeSet<String> known = new TreeSet<>(redis.smembers(keys.queues()));
    if (!known.contains(queue)) {
      throw new NotFoundException(
          "no queue named '"
              + queue
              + "': "
              + (known.isEmpty()
                  ? "no task was submitted yet"
                  : "the queues are " + String.join(", ", known))
              + "; a queue appears with its first task");
    }
    long done =
        redis
            .scripts()
            .evalLong(
                LuaScript.PAUSE_QUEUE,
                List.of(keys.paused(queue), keys.pending(queue), keys.marker(queue)),
                List.of(action, clock.millis()));
    return done == 1;
  }
}
