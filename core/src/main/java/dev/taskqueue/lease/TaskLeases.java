package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.redis.ScriptRunner;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The transitions a worker makes: claim tasks, then complete, fail or release each. One method per
 * script; each builds KEYS and ARGV in the order of the script's header.
 */
public final class TaskLeases {
  private final ScriptRunner scripts;
  private final Keys keys;
  private final Clock clock;
  private final Duration leaseGrace;

  /**
   * @param leaseGrace added to a task's timeout to give its lease expiry: time for the worker to
   *     notice the timeout, interrupt the guest and record the failure before anyone may reclaim
   */
  public TaskLeases(ScriptRunner scripts, Keys keys, Clock clock, Duration leaseGrace) {
    this.scripts = Objects.requireNonNull(scripts);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.leaseGrace = Objects.requireNonNull(leaseGrace);
  }

  /** Claims up to {@code max} tasks of {@code queue}, oldest first; empty when none wait. */
  public List<Task> claim(String queue, String workerId, int max) {
    List<Object> reply =
        scripts.evalList(
            LuaScript.CLAIM,
            List.of(
                keys.pending(queue),
                keys.processing(queue),
                keys.timeout(queue),
                keys.marker(queue)),
            keys.taskPrefix(queue),
            workerId,
            clock.millis(),
            max,
            leaseGrace.toMillis());
    List<Task> claimed = new ArrayList<>(reply.size());
    for (Object fields : reply) {
      claimed.add(Task.fromHash(pairs((List<?>) fields)));
    }
    return claimed;
  }

  /** Records the result; false when the lease was lost and nothing was written. */
  public boolean complete(Lease lease, TaskResult result, Optional<String> logPath) {
    return held(
        LuaScript.COMPLETE,
        scripts.evalLong(
            LuaScript.COMPLETE,
            finishKeys(lease),
            lease.taskId().value(),
            lease.token(),
            clock.millis(),
            result.stored(),
            result.encoding(),
            logPath.orElse("")));
  }

  /** Records why the attempt failed; false when the lease was lost and nothing was written. */
  public boolean fail(Lease lease, String error, Optional<String> logPath) {
    return held(
        LuaScript.FAIL,
        scripts.evalLong(
            LuaScript.FAIL,
            finishKeys(lease),
            lease.taskId().value(),
            lease.token(),
            clock.millis(),
            error,
            logPath.orElse("")));
  }

  /** Puts the task back at the front of pending; false when the lease was lost. */
  public boolean release(Lease lease) {
    String queue = lease.queue();
    return held(
        LuaScript.RELEASE,
        scripts.evalLong(
            LuaScript.RELEASE,
            List.of(
                keys.task(queue, lease.taskId()),
                keys.processing(queue),
                keys.timeout(queue),
                keys.pending(queue),
                keys.marker(queue)),
            lease.taskId().value(),
            lease.token()));
  }

  private List<Object> finishKeys(Lease lease) {
    String queue = lease.queue();
    return List.of(
        keys.task(queue, lease.taskId()),
        keys.processing(queue),
        keys.timeout(queue),
        keys.finished(queue),
        keys.open(queue));
  }

  /** A task deleted by hand while running is as gone to its worker as one claimed by another. */
  private static boolean held(LuaScript script, long reply) {
    return ScriptReply.of(script, reply) == ScriptReply.OK;
  }

  private static Map<String, String> pairs(List<?> flat) {
    Map<String, String> map = new HashMap<>(flat.size());
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    return map;
  }
}
