package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.TaskId;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Cancels tasks that have not started: pending, scheduled, or waiting for a retry ({@code
 * cancel.lua}). A cancelled task is kept, like a finished one. Running tasks cannot be cancelled
 * yet (the roadmap has it).
 */
public final class TaskCanceller {
  /** What a cancel did. */
  public enum Cancel {
    CANCELLED,
    /** It was cancelled already (an earlier send of the request did it). */
    ALREADY_CANCELLED,
    NO_SUCH_TASK,
    /** It is running: it cannot be cancelled yet. */
    RUNNING,
    /** It ended already: completed or dead. */
    ENDED
  }

  private final Redis redis;
  private final Keys keys;
  private final Clock clock;

  public TaskCanceller(Redis redis, Keys keys, Clock clock) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Cancels task {@code id} of {@code queue}. Safe to send again. */
  public Cancel cancel(String queue, TaskId id) {
    long reply =
        redis
            .scripts()
            .evalLong(
                LuaScript.CANCEL,
                List.of(
                    keys.task(queue, id),
                    keys.pending(queue),
                    keys.scheduled(queue),
                    keys.finished(queue),
                    keys.open(queue)),
                List.of(id.value(), clock.millis()));
    ScriptReply outcome = ScriptReply.of(LuaScript.CANCEL, reply);
    return switch (outcome) {
      case OK -> Cancel.CANCELLED;
      case ALREADY_DONE -> Cancel.ALREADY_CANCELLED;
      case NO_SUCH_TASK -> Cancel.NO_SUCH_TASK;
      case TASK_RUNNING -> Cancel.RUNNING;
      case TASK_ENDED -> Cancel.ENDED;
      default -> throw outcome.unexpectedFrom(LuaScript.CANCEL);
    };
  }
}
