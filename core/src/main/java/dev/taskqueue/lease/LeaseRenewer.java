package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptCall;
import dev.taskqueue.redis.ScriptReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One worker's heartbeat: records that the worker is alive ({@code heartbeat.lua}) and renews the
 * leases of every task it runs ({@code renew_leases.lua}, one call per queue), all in one round
 * trip. Each part is safe to send again.
 */
public final class LeaseRenewer {
  /** How long a dead worker's heartbeat record outlives its expiry when no reaper removes it. */
  static final Duration RECORD_AFTERLIFE = Duration.ofHours(1);

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final String workerId;
  private final Duration leaseDuration;
  private final Duration grace;

  /**
   * @param leaseDuration how long the heartbeat and each lease last from this beat
   * @param grace how long past an attempt's timeout its lease may still be renewed: time to
   *     interrupt the guest and record the failure
   */
  public LeaseRenewer(
      Redis redis,
      Keys keys,
      Clock clock,
      String workerId,
      Duration leaseDuration,
      Duration grace) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.workerId = Objects.requireNonNull(workerId);
    this.leaseDuration = Objects.requireNonNull(leaseDuration);
    this.grace = Objects.requireNonNull(grace);
  }

  /**
   * Beats once.
   *
   * @param worker what the worker's heartbeat record says (host, pid, version, slots, busy, ...)
   * @param leases every lease the worker holds
   * @return one renewal per lease
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer: nothing is
   *     known to be renewed
   */
  public List<Renewal> beat(Map<String, String> worker, Collection<Lease> leases) {
    long now = clock.millis();
    List<Object> beatArgs = new ArrayList<>();
    beatArgs.add(workerId);
    beatArgs.add(now + leaseDuration.toMillis());
    beatArgs.add(leaseDuration.plus(RECORD_AFTERLIFE).toMillis());
    worker.forEach(
        (field, value) -> {
          beatArgs.add(field);
          beatArgs.add(value);
        });
    List<ScriptCall> calls = new ArrayList<>();
    calls.add(
        new ScriptCall(
            LuaScript.HEARTBEAT, List.of(keys.workers(), keys.worker(workerId)), beatArgs));
    Map<String, List<Lease>> byQueue = new LinkedHashMap<>();
    leases.forEach(l -> byQueue.computeIfAbsent(l.queue(), q -> new ArrayList<>()).add(l));
    byQueue.forEach((queue, held) -> calls.add(renewal(queue, held, now)));

    List<?> replies = redis.scripts().evalBatch(calls);
    List<Renewal> renewals = new ArrayList<>(leases.size());
    int call = 1;
    for (List<Lease> held : byQueue.values()) {
      List<?> entries = (List<?>) replies.get(call++);
      for (int i = 0; i < held.size(); i++) {
        renewals.add(read(held.get(i), (List<?>) entries.get(i)));
      }
    }
    return renewals;
  }

  /** Removes this worker's heartbeat record: a worker stopping says goodbye. */
  public void goodbye() {
    redis
        .scripts()
        .evalLong(
            LuaScript.REMOVE_WORKERS,
            List.of(keys.workers(), keys.worker(workerId)),
            List.of(Long.MAX_VALUE, workerId));
  }

  private ScriptCall renewal(String queue, List<Lease> held, long now) {
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(keys.timeout(queue));
    List<Object> args = new ArrayList<>();
    args.add(workerId);
    args.add(now);
    args.add(leaseDuration.toMillis());
    args.add(grace.toMillis());
    for (Lease lease : held) {
      scriptKeys.add(keys.task(queue, lease.taskId()));
      args.add(lease.taskId().value());
      args.add(lease.token());
    }
    return new ScriptCall(LuaScript.RENEW_LEASES, scriptKeys, args);
  }

  /** {id, code, expiry}. */
  private static Renewal read(Lease lease, List<?> entry) {
    ScriptReply code = ScriptReply.of(LuaScript.RENEW_LEASES, ((Number) entry.get(1)).longValue());
    Instant expiry = Instant.ofEpochMilli(((Number) entry.get(2)).longValue());
    return switch (code) {
      case OK -> new Renewal(lease, Optional.of(expiry), Optional.empty());
      case ALREADY_DONE ->
          new Renewal(lease, Optional.empty(), Optional.of(AttemptEnd.ALREADY_RECORDED));
      case NO_SUCH_TASK -> new Renewal(lease, Optional.empty(), Optional.of(AttemptEnd.TASK_GONE));
      case LEASE_LOST -> new Renewal(lease, Optional.empty(), Optional.of(AttemptEnd.LEASE_LOST));
      case LEASE_EXPIRED ->
          new Renewal(lease, Optional.empty(), Optional.of(AttemptEnd.LEASE_EXPIRED));
      default -> throw code.unexpectedFrom(LuaScript.RENEW_LEASES);
    };
  }
}
