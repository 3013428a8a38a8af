package dev.taskqueue.redis;

import dev.taskqueue.logging.LogFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis may evict task-queue's keys. A Redis that drops keys when it is full (any {@code
 * maxmemory-policy} but {@code noeviction}) may drop a task's hash, a queue's list or a lease's
 * timeout entry: tasks lost for good, which no reaper can recover. With {@code noeviction} a full
 * Redis refuses writes instead, and a refused write is an error the caller sees and retries. The
 * long-running processes check at start and warn; a Redis that does not let them read its
 * configuration (a managed service, an ACL) is not checked.
 */
public final class EvictionPolicy {
  static final String PARAMETER = "maxmemory-policy";
  static final String SAFE = "noeviction";

  private static final Logger LOG = LoggerFactory.getLogger(EvictionPolicy.class);

  private EvictionPolicy() {}

  /** What is unsafe about how the masters evict keys; empty when nothing is, or it cannot tell. */
  static Optional<String> problem(Redis redis) {
    Map<String, String> policies;
    try {
      policies = redis.configOfMasters(PARAMETER);
    } catch (RuntimeException e) {
      LOG.atDebug()
          .addKeyValue(LogFields.EVENT, "redis.eviction_unknown")
          .log("could not read Redis's {}: {}", PARAMETER, e.getMessage());
      return Optional.empty();
    }
    List<String> unsafe = new ArrayList<>();
    policies.forEach(
        (master, policy) -> {
          if (!SAFE.equals(policy)) {
            unsafe.add(master + " has " + PARAMETER + " " + policy);
          }
        });
    if (unsafe.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "Redis may evict keys when it is full ("
            + String.join("; ", unsafe)
            + "), and a task whose keys it evicts is lost: set "
            + PARAMETER
            + " "
            + SAFE
            + " (docs/operations.md, \"Redis\")");
  }

  /** Logs {@link #problem} as a warning: for a process's start. */
  public static void warnIfUnsafe(Redis redis) {
    problem(redis)
        .ifPresent(
            problem -> LOG.atWarn().addKeyValue(LogFields.EVENT, "redis.eviction").log(problem));
  }
}
