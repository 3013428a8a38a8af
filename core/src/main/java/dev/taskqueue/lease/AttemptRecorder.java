package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Ends claimed attempts: completed, failed or released, all through the one script {@code
 * end_attempt.lua}, which checks the lease and applies the one rule of how an attempt ends ({@code
 * include/attempt.lua}): a failed attempt is retried after a backoff while retries are left, and is
 * dead after. Each request is safe to send again.
 */
public final class AttemptRecorder {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final DoubleSupplier jitter;

  public AttemptRecorder(Redis redis, Keys keys, Clock clock) {
    this(redis, keys, clock, Jitter.RANDOM);
  }

  /**
   * @param jitter the share of the backoff a retry waits, in [0, 1): random in production, fixed in
   *     tests
   */
  public AttemptRecorder(Redis redis, Keys keys, Clock clock, DoubleSupplier jitter) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.jitter = Objects.requireNonNull(jitter);
  }

  /** Records the result and finishes the task. */
  public Ending complete(Lease lease, TaskResult result, Optional<String> logPath) {
    return end(lease, "completed", result.stored(), result.encoding(), logPath);
  }

  /** Records why the attempt failed; the task is retried later, or dead when none are left. */
  public Ending fail(Lease lease, String error, Optional<String> logPath) {
    return end(lease, "failed", error, "", logPath);
  }

  /** Puts the task back at the front of its queue, untouched but for the attempt it used. */
  public Ending release(Lease lease) {
    return end(lease, "released", "", "", Optional.empty());
  }

  private Ending end(
      Lease lease, String ending, String text, String encoding, Optional<String> logPath) {
    String queue = lease.queue();
    List<String> scriptKeys = new ArrayList<>(keys.attemptEnding(queue));
    scriptKeys.add(keys.task(queue, lease.taskId()));
    List<?> reply =
        redis.evalList(
            LuaScript.END_ATTEMPT,
            scriptKeys,
            List.of(
                lease.taskId().value(),
                lease.token(),
                clock.millis(),
                ending,
                text,
                encoding,
                logPath.orElse(""),
                jitter.getAsDouble(),
                lease.workerId()));
    ScriptReply outcome =
        ScriptReply.of(LuaScript.END_ATTEMPT, ((Number) reply.get(0)).longValue());
    return switch (outcome) {
      case OK -> recorded(reply);
      case ALREADY_DONE -> Ending.of(AttemptEnd.ALREADY_RECORDED);
      case NO_SUCH_TASK -> Ending.of(AttemptEnd.TASK_GONE);
      case LEASE_LOST -> Ending.of(AttemptEnd.LEASE_LOST);
      case LEASE_EXPIRED -> Ending.of(AttemptEnd.LEASE_EXPIRED);
      default -> throw outcome.unexpectedFrom(LuaScript.END_ATTEMPT);
    };
  }

  /** {1, stage, run_at}. */
  static Ending recorded(List<?> reply) {
    Stage stage =
        Stage.fromWire(String.valueOf(reply.get(1)))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "bug: " + LuaScript.END_ATTEMPT + " ended in stage " + reply.get(1)));
    long runAt = ((Number) reply.get(2)).longValue();
    return new Ending(
        AttemptEnd.RECORDED,
        Optional.of(stage),
        stage == Stage.RETRYING ? Optional.of(Instant.ofEpochMilli(runAt)) : Optional.empty());
  }
}
