package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A queue's dead-letter queue: the tasks whose retries are spent, newest first. They can be listed,
 * replayed ({@code replay_dead.lua}: attempts reset, back to pending with the original payload, on
 * the module version the task was submitted with or on the newest its queue knows) and purged.
 */
public final class DeadLetters {
  /** What a replay did. */
  public enum Replay {
    REPLAYED,
    /** The task is not dead: never was, or replayed already. */
    NOT_DEAD,
    NO_SUCH_TASK,
    /**
     * The module version it would run was removed from the registry: upload the module again, then
     * replay it on the newest version ({@link Version#NEWEST}).
     */
    MODULE_REMOVED
  }

  /** Which version of its module a replayed task runs. */
  public enum Version {
    /** The one it was submitted with: a replay runs again what failed (a downstream was down). */
    KEPT,
    /**
     * The newest its queue knows, when newer than its own: a fixed module uploaded since it died.
     */
    NEWEST
  }

  /**
   * What a replay did, and the module version the task ran before and runs now (the same unless it
   * moved to a newer one; both 0 for no such task).
   */
  public record Replayed(Replay outcome, int versionBefore, int version) {
    /** Whether the replay moved the task to a newer version of its module. */
    public boolean upgraded() {
      return outcome == Replay.REPLAYED && version != versionBefore;
    }
  }

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final EndedTasks ended;

  public DeadLetters(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
    this.ended = new EndedTasks(redis, keys);
  }

  /** Ids of dead tasks in {@code queue}, newest first, at most {@code limit}. */
  public List<String> ids(String queue, int limit) {
    return redis.lrange(keys.dlq(queue), 0, limit - 1);
  }

  public long count(String queue) {
    return redis.llen(keys.dlq(queue));
  }

  /**
   * Replays one dead task on the module version it was submitted with. Safe to send again: a repeat
   * answers {@link Replay#NOT_DEAD}.
   */
  public Replay replay(String queue, TaskId id) {
    return replay(queue, id, Version.KEPT).outcome();
  }

  /** Replays one dead task on {@code version}. Safe to send again, as {@link #replay}. */
  public Replayed replay(String queue, TaskId id, Version version) {
    List<?> reply =
        redis
            .scripts()
            .evalList(
                LuaScript.REPLAY_DEAD,
                List.of(
                    keys.task(queue, id),
                    keys.dlq(queue),
                    keys.pending(queue),
                    keys.marker(queue),
                    keys.open(queue),
                    keys.retired(queue),
                    keys.modules(queue)),
                List.of(id.value(), clock.millis(), version == Version.NEWEST ? "newest" : "kept"));
    ScriptReply outcome =
        ScriptReply.of(LuaScript.REPLAY_DEAD, ((Number) reply.get(0)).longValue());
    Replay replay =
        switch (outcome) {
          case OK -> Replay.REPLAYED;
          case ALREADY_DONE -> Replay.NOT_DEAD;
          case NO_SUCH_TASK -> Replay.NO_SUCH_TASK;
          case TASK_NAME_RETIRED -> Replay.MODULE_REMOVED;
          default -> throw outcome.unexpectedFrom(LuaScript.REPLAY_DEAD);
        };
    return new Replayed(
        replay, ((Number) reply.get(1)).intValue(), ((Number) reply.get(2)).intValue());
  }

  /**
   * Deletes the dead tasks of {@code queue} that died before {@code cutoff}, oldest first.
   *
   * @return the deleted tasks, with their log locations
   */
  public List<EndedTasks.Deleted> purge(String queue, Instant cutoff) {
    List<EndedTasks.Deleted> all = new ArrayList<>();
    List<EndedTasks.Deleted> batch;
    do {
      batch = ended.trim(queue, Stage.DEAD, Long.MAX_VALUE, cutoff, 500);
      all.addAll(batch);
    } while (batch.size() == 500);
    return all;
  }
}
