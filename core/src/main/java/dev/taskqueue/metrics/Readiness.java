package dev.taskqueue.metrics;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import java.util.Optional;

/** Whether a process can do its work now, and if not, why: what {@code /readyz} answers. */
@FunctionalInterface
public interface Readiness {
  /** Empty when ready; else one line saying what is wrong. */
  Optional<String> problem();

  /**
   * Ready when Redis answers and holds every script of {@link LuaScript#ALL}, which it loads when
   * Redis lacks them (after a restart or a failover): one round trip when all are there.
   */
  static Readiness redis(Redis redis) {
    return () -> {
      try {
        redis.scripts().loadMissing(LuaScript.ALL);
        return Optional.empty();
      } catch (RedisUnavailableException e) {
        return Optional.of(e.getMessage());
      }
    };
  }

  /** Ready when this is and {@code other} is too; the first problem found otherwise. */
  default Readiness and(Readiness other) {
    return () -> {
      Optional<String> mine = problem();
      return mine.isPresent() ? mine : other.problem();
    };
  }
}
