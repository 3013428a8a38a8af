package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.task.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes the oldest ended tasks of a queue (completed ones in {@code finished}, dead ones in
 * {@code dlq}) through {@code trim_ended.lua}: the reaper's retention, and {@code producer dlq
 * purge}. Safe to run from several processes at once.
 */
public final class EndedTasks {
  /** One deleted task, and where its log file was, so the caller can delete that too. */
  public record Deleted(String id, Optional<String> logPath) {}

  private final Redis redis;
  private final Keys keys;

  public EndedTasks(Redis redis, Keys keys) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
  }

  /**
   * Deletes, oldest first, the tasks of {@code stage} (completed, which includes cancelled ones
   * kept beside them in {@code finished}, or dead) in {@code queue} beyond the newest {@code keep},
   * and those that ended before {@code cutoff}; at most {@code max} per call.
   */
  public List<Deleted> trim(String queue, Stage stage, long keep, Instant cutoff, int max) {
    String list = list(queue, stage);
    List<String> oldest = new ArrayList<>(redis.lrange(list, -max, -1));
    if (oldest.isEmpty()) {
      return List.of();
    }
    Collections.reverse(oldest);
    List<String> scriptKeys = new ArrayList<>();
    scriptKeys.add(list);
    List<Object> args = new ArrayList<>();
    args.add(stage == Stage.COMPLETED ? "completed,cancelled" : stage.wireName());
    args.add(keep);
    args.add(cutoff.toEpochMilli());
    for (String id : oldest) {
      scriptKeys.add(keys.task(queue, id));
      scriptKeys.add(keys.taskLog(queue, id));
      args.add(id);
    }
    List<Deleted> deleted = new ArrayList<>();
    for (Object entry : redis.scripts().evalList(LuaScript.TRIM_ENDED, scriptKeys, args)) {
      List<?> e = (List<?>) entry;
      String log = String.valueOf(e.get(1));
      deleted.add(
          new Deleted(
              String.valueOf(e.get(0)), log.isEmpty() ? Optional.empty() : Optional.of(log)));
    }
    return deleted;
  }

  private String list(String queue, Stage stage) {
    return switch (stage) {
      case COMPLETED -> keys.finished(queue);
      case DEAD -> keys.dlq(queue);
      default ->
          throw new IllegalArgumentException("bug: no list of ended tasks in stage " + stage);
    };
  }
}
