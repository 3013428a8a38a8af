package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.PackedArgument;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptCall;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;

/**
 * Ends claimed attempts: completed, failed or released, all through the one script {@code
 * end_attempt.lua}, which checks the lease and applies the one rule of how an attempt ends ({@code
 * include/attempt.lua}): a failed attempt is retried after a backoff while retries are left (the
 * script publishes the retry's time to the schedulers, which wake for it), and is dead after.
 * Attempts that end together are recorded together ({@link #endAll}). Each request is safe to send
 * again.
 */
public final class AttemptRecorder {
  /** What end_attempt.lua takes in place of a jitter for a failure that is not to be retried. */
  private static final String NO_RETRY = "none";

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
    return endAll(List.of(AttemptOutcome.completed(lease, result, logPath))).get(0);
  }

  /** Records why the attempt failed; the task is retried later, or dead when none are left. */
  public Ending fail(Lease lease, String error, Optional<String> logPath) {
    return endAll(List.of(AttemptOutcome.failed(lease, error, logPath))).get(0);
  }

  /** Puts the task back at the front of its queue, untouched but for the attempt it used. */
  public Ending release(Lease lease) {
    return endAll(List.of(AttemptOutcome.released(lease))).get(0);
  }

  /**
   * Ends a batch of attempts held by one worker in one round trip: one {@code end_attempt.lua} call
   * per queue, sent together. Each attempt is judged on its own.
   *
   * @return one ending per outcome, in order
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis does not answer: any of the
   *     outcomes may or may not be recorded, and each is safe to send again
   */
  public List<Ending> endAll(List<AttemptOutcome> outcomes) {
    return Redis.await(endAllAsync(outcomes));
  }

  /**
   * Like {@link #endAll}, without waiting for the reply: the caller goes on while Redis records
   * them. What is chained to the future runs on the thread that receives the reply (the client's
   * event loop) and must not block.
   *
   * @return completes with one ending per outcome, in order; or fails with what {@link #endAll}
   *     would throw
   */
  public CompletableFuture<List<Ending>> endAllAsync(List<AttemptOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String workerId = outcomes.get(0).lease().workerId();
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < outcomes.size(); i++) {
      group(byQueue, outcomes.get(i).lease(), workerId, i);
    }
    long now = clock.millis();
    List<CompletableFuture<List<?>>> replies = new ArrayList<>(byQueue.size());
    for (Map.Entry<String, List<Integer>> queue : byQueue.entrySet()) {
      ScriptCall call = call(queue.getKey(), queue.getValue(), outcomes, now, workerId);
      replies.add(redis.scripts().evalListAsync(LuaScript.END_ATTEMPT, call.keys(), call.args()));
    }
    CompletableFuture<?> all =
        replies.size() == 1
            ? replies.get(0)
            : CompletableFuture.allOf(replies.toArray(CompletableFuture<?>[]::new));
    return all.thenApply(
        answered -> {
          Ending[] endings = new Ending[outcomes.size()];
          int call = 0;
          for (List<Integer> indexes : byQueue.values()) {
            read(replies.get(call++).join(), indexes, endings);
          }
          return List.of(endings);
        });
  }

  /** The endings in one call's {@code reply}, of the attempts at {@code indexes}. */
  private static void read(List<?> reply, List<Integer> indexes, Ending[] endings) {
    for (int k = 0; k < indexes.size(); k++) {
      endings[indexes.get(k)] = ending((List<?>) reply.get(k));
    }
  }

  // The work for each attempt of a batch is a method of its own (group, pack, ending), called
  // once an attempt, so that the JIT compiles it early, and once. In the loops of endAll, called
  // once a batch, it was compiled late, by on-stack replacement, once for each loop and again for
  // the whole method: 105-130 ms of a fresh worker's C2 time in a 50,000-task drain, 43-74 since.

  private static void group(
      Map<String, List<Integer>> byQueue, Lease lease, String workerId, int index) {
    if (!lease.workerId().equals(workerId)) {
      throw new IllegalArgumentException("bug: one batch of endings for two workers");
    }
    byQueue.computeIfAbsent(lease.queue(), q -> new ArrayList<>()).add(index);
  }

  private ScriptCall call(
      String queue, List<Integer> indexes, List<AttemptOutcome> outcomes, long now, String worker) {
    List<String> scriptKeys = new ArrayList<>(keys.attemptEnding(queue));
    PackedArgument values = new PackedArgument(7 * indexes.size(), 64 * indexes.size());
    for (int i : indexes) {
      pack(queue, outcomes.get(i), scriptKeys, values);
    }
    return new ScriptCall(
        LuaScript.END_ATTEMPT,
        scriptKeys,
        List.of(now, worker, values.bytes(), keys.schedulerChannel()));
  }

  /** An attempt's task hash among the keys, and its seven values among the packed ones. */
  private void pack(
      String queue, AttemptOutcome outcome, List<String> scriptKeys, PackedArgument values) {
    Lease lease = outcome.lease();
    scriptKeys.add(keys.task(queue, lease.taskId()));
    values
        .text(lease.taskId().value())
        .text(Long.toString(lease.token()))
        .text(outcome.ending())
        .text(outcome.text())
        .text(outcome.encoding())
        .text(outcome.logPath().orElse(""))
        // Only a failure that may be retried waits out a backoff; the others skip drawing and
        // printing a jitter.
        .text(retry(outcome));
  }

  private String retry(AttemptOutcome outcome) {
    if (!outcome.isFailure()) {
      return "0";
    }
    return outcome.retryable() ? Double.toString(jitter.getAsDouble()) : NO_RETRY;
  }

  private static Ending ending(List<?> reply) {
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
