package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The workers' heartbeat records ({@code {prefix}:workers} and {@code {prefix}:worker:<id>}), as
 * the reaper and the producer see them: who is alive, and forgetting who is not.
 */
public final class Heartbeats {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public Heartbeats(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /** The heartbeat records of workers whose heartbeat has not expired, each a field map. */
  public List<Map<String, String>> alive() {
    List<String> ids =
        redis.sortedSets().rangeByScore(keys.workers(), Long.MAX_VALUE, Integer.MAX_VALUE);
    long now = clock.millis();
    List<Map<String, String>> alive = new ArrayList<>();
    for (String id : ids) {
      Map<String, String> record = redis.hgetall(keys.worker(id));
      String expires = record.get("expires_at");
      if (expires != null && Long.parseLong(expires) >= now) {
        alive.add(record);
      }
    }
    return alive;
  }

  /**
   * Removes the records of workers whose heartbeat expired. Their leases expire with it and are
   * reaped on their own ({@link ExpiredLeases}); this only keeps the list of workers true.
   *
   * @return how many were removed
   */
  public long removeDead(int max) {
    long now = clock.millis();
    List<String> dead = redis.sortedSets().rangeByScore(keys.workers(), now - 1, max);
    if (dead.isEmpty()) {
      return 0;
    }
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(keys.workers());
    List<Object> args = new ArrayList<>();
    args.add(now);
    for (String id : dead) {
      scriptKeys.add(keys.worker(id));
      args.add(id);
    }
    return redis.scripts().evalLong(LuaScript.REMOVE_WORKERS, scriptKeys, args);
  }
}
