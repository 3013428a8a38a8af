package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler or a reaper saying that it runs: its process id in {@code {prefix}:alive:<role>},
 * scored by when the word expires. It says so every {@link #INTERVAL} on a thread of its own and
 * takes it back when it stops; one that is killed drops out after {@link #TTL}. {@code producer
 * stats} counts them, since a deployment with neither leaves retries, tasks for later and cron
 * firings waiting without a word. (A worker's heartbeat says more, and keeps its leases: {@link
 * Heartbeats}.)
 */
public final class Presence implements AutoCloseable {
  /** What runs. */
  public enum Role {
    SCHEDULER,
    REAPER;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration TTL = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(Presence.class);

  private final Redis redis;
  private final String key;
  private final String id;
  private final Clock clock;
  private ScheduledExecutorService beats;

  Presence(Redis redis, Keys keys, Role role, String id, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.key = keys.alive(role.wireName());
    this.id = Objects.requireNonNull(id);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Says that this process runs as {@code role}, now and every {@link #INTERVAL}. */
  public static Presence start(Redis redis, Keys keys, Role role) {
    Presence presence =
        new Presence(redis, keys, role, ProcessId.ofThisProcess(), Clock.systemUTC());
    presence.beats =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, role.wireName() + "-presence");
              thread.setDaemon(true);
              return thread;
            });
    // beatQuietly throws nothing, so the returned future never holds a failure to look at.
    var unused =
        presence.beats.scheduleWithFixedDelay(
            presence::beatQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return presence;
  }

  /** How many processes say they run as {@code role}, as of {@code clock}. */
  public static long alive(Redis redis, Keys keys, Role role, Clock clock) {
    return redis.sortedSets().zcountFrom(keys.alive(role.wireName()), clock.millis());
  }

  /** Renews this process's word, and drops the words that ran out (their processes died). */
  void beat() {
    long now = clock.millis();
    redis.sortedSets().zadd(key, now + TTL.toMillis(), id);
    redis.sortedSets().zremUpTo(key, now - 1);
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      // Redis away: the loop's own errors say so; the word runs out and is said again later.
      LOG.debug("could not say that {} runs: {}", id, e.toString());
    }
  }

  /** Stops saying so, and takes the word back if Redis answers. */
  @Override
  public void close() {
    if (beats != null) {
      beats.shutdownNow();
    }
    try {
      redis.sortedSets().zrem(key, id);
    } catch (RuntimeException e) {
      LOG.debug("could not take back that {} runs: {}", id, e.toString());
    }
  }
}
