package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A queue's counts kept in Redis by the scripts that create tasks and end attempts (its {@code
 * stats} hash): tasks submitted per task name, for good, and attempts ended in each 10 s bucket,
 * from which the last minute's throughput is read. Unlike a process's metrics, they count what
 * every producer, scheduler, worker and reaper did.
 */
public final class QueueStats {
  static final long BUCKET_MS = 10_000;

  /** The buckets summed: the current one and the five before it, 50 to 60 s in all. */
  static final int BUCKETS = 6;

  /**
   * A queue's counts.
   *
   * @param submitted tasks ever submitted, per task name (cron firings included)
   * @param completed attempts that completed their task within {@code window}
   * @param failed attempts that failed (or were lost) within {@code window}
   * @param window how far back {@code completed} and {@code failed} reach: 50 to 60 s
   */
  public record Counts(Map<String, Long> submitted, long completed, long failed, Duration window) {
    public double completedPerSecond() {
      return completed / seconds();
    }

    public double failedPerSecond() {
      return failed / seconds();
    }

    private double seconds() {
      return Math.max(1, window.toMillis()) / 1000.0;
    }
  }

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public QueueStats(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /** {@code queue}'s counts now: one round trip. */
  public Counts read(String queue) {
    Map<String, String> hash = redis.hgetall(keys.stats(queue));
    long now = clock.millis();
    long first = now / BUCKET_MS - (BUCKETS - 1);
    Map<String, Long> submitted = new TreeMap<>();
    long completed = 0;
    long failed = 0;
    for (Map.Entry<String, String> field : hash.entrySet()) {
      String name = field.getKey();
      long value = parse(field.getValue());
      int colon = name.indexOf(':');
      String kind = colon < 0 ? name : name.substring(0, colon);
      String rest = colon < 0 ? "" : name.substring(colon + 1);
      if (kind.equals("submitted")) {
        submitted.put(rest, value);
      } else if (rest.matches("\\d{1,18}") && Long.parseLong(rest) >= first) {
        if (kind.equals("completed")) {
          completed += value;
        } else if (kind.equals("failed")) {
          failed += value;
        }
      }
    }
    return new Counts(submitted, completed, failed, Duration.ofMillis(now - first * BUCKET_MS));
  }

  private static long parse(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0; // written by hand: counted as nothing rather than failing a read
    }
  }
}
