package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Finds attempts whose lease ran out (their worker died, hung past the task's timeout, or lost
 * Redis) and ends them as lost through {@code reap_expired.lua}, which applies the same rule as a
 * worker's failed attempt: retry after a backoff, or dead. Two round trips per batch: read the
 * expired ids, then end them; any number of reapers may do this at once.
 */
public final class ExpiredLeases {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final DoubleSupplier jitter;

  public ExpiredLeases(Redis redis, Keys keys, Clock clock) {
    this(redis, keys, clock, Jitter.RANDOM);
  }

  public ExpiredLeases(Redis redis, Keys keys, Clock clock, DoubleSupplier jitter) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.jitter = Objects.requireNonNull(jitter);
  }

  /** Ends up to {@code max} expired attempts of {@code queue}, earliest expiry first. */
  public List<Reaped> reap(String queue, int max) {
    return reap(
        queue, redis.sortedSets().rangeByScore(keys.timeout(queue), clock.millis() - 1, max));
  }

  /**
   * Ends the attempts of {@code queue} a sweep read as expired ({@code expired}, task ids from its
   * timeout set): each whose lease is still out, as the script checks again.
   */
  public List<Reaped> reap(String queue, List<String> expired) {
    if (expired.isEmpty()) {
      return List.of();
    }
    long now = clock.millis();
    List<String> scriptKeys = new ArrayList<>(keys.attemptEnding(queue));
    List<Object> args = new ArrayList<>();
    args.add(now);
    args.add(keys.schedulerChannel());
    for (String id : expired) {
      scriptKeys.add(keys.task(queue, id));
      args.add(id);
      args.add(jitter.getAsDouble());
    }
    List<Reaped> reaped = new ArrayList<>();
    for (Object entry : redis.scripts().evalList(LuaScript.REAP_EXPIRED, scriptKeys, args)) {
      List<?> e = (List<?>) entry;
      Stage stage =
          Stage.fromWire(String.valueOf(e.get(1)))
              .orElseThrow(() -> new IllegalStateException("bug: reaped into " + e.get(1)));
      long runAt = ((Number) e.get(2)).longValue();
      reaped.add(
          new Reaped(
              new TaskId(String.valueOf(e.get(0))),
              queue,
              stage,
              stage == Stage.RETRYING
                  ? Optional.of(Instant.ofEpochMilli(runAt))
                  : Optional.empty()));
    }
    return reaped;
  }

  /** When the earliest lease of {@code queue} expires, if any task is leased. */
  public Optional<Instant> nextExpiry(String queue) {
    return redis.sortedSets().lowestScore(keys.timeout(queue)).map(Instant::ofEpochMilli);
  }
}
