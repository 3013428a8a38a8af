package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.TaskResult;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ends claimed attempts: completed, failed or released, all through the one script {@code
 * end_attempt.lua}, which checks the lease in one place. Each request is safe to send again.
 */
public final class AttemptRecorder {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public AttemptRecorder(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Records the result and finishes the task. */
  public AttemptEnd complete(Lease lease, TaskResult result, Optional<String> logPath) {
    return end(lease, "completed", result.stored(), result.encoding(), logPath);
  }

  /** Records why the attempt failed and finishes the task. */
  public AttemptEnd fail(Lease lease, String error, Optional<String> logPath) {
    return end(lease, "failed", error, "", logPath);
  }

  /** Puts the task back at the front of its queue, untouched but for the attempt it used. */
  public AttemptEnd release(Lease lease) {
    return end(lease, "released", "", "", Optional.empty());
  }

  private AttemptEnd end(
      Lease lease, String ending, String text, String encoding, Optional<String> logPath) {
    String queue = lease.queue();
    long reply =
        redis.evalLong(
            LuaScript.END_ATTEMPT,
            List.of(
                keys.task(queue, lease.taskId()),
                keys.processing(queue),
                keys.timeout(queue),
                keys.finished(queue),
                keys.open(queue),
                keys.pending(queue),
                keys.marker(queue)),
            List.of(
                lease.taskId().value(),
                lease.token(),
                clock.millis(),
                ending,
                text,
                encoding,
                logPath.orElse("")));
    ScriptReply outcome = ScriptReply.of(LuaScript.END_ATTEMPT, reply);
    return switch (outcome) {
      case OK -> AttemptEnd.RECORDED;
      case ALREADY_DONE -> AttemptEnd.ALREADY_RECORDED;
      case NO_SUCH_TASK -> AttemptEnd.TASK_GONE;
      case LEASE_LOST -> AttemptEnd.LEASE_LOST;
      case LEASE_EXPIRED -> AttemptEnd.LEASE_EXPIRED;
      default -> throw outcome.unexpectedFrom(LuaScript.END_ATTEMPT);
    };
  }
}
