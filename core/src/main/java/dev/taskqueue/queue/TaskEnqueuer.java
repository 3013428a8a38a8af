package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.NewTask;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes new tasks: one {@code enqueue.lua} call per task. A call is safe to send again (the id is
 * made before the first send); {@link dev.taskqueue.submission.TaskSubmitter} does so when a reply
 * is lost.
 */
public final class TaskEnqueuer {
  private final Redis redis;
  private final Keys keys;
  private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

  public TaskEnqueuer(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /**
   * Creates the task hash and appends the id to its queue's pending list, or for a task with a
   * run-at time adds it to the queue's scheduled set, atomically.
   */
  public EnqueueResult enqueue(NewTask task) {
    String queue = task.queue();
    registerQueue(queue);
    long reply =
        redis.evalLong(
            LuaScript.ENQUEUE,
            List.of(
                keys.task(queue, task.id()),
                keys.pending(queue),
                keys.marker(queue),
                keys.open(queue),
                keys.retired(queue),
                keys.scheduled(queue)),
            List.of(
                task.id().value(),
                queue,
                task.name(),
                task.moduleDigest(),
                task.moduleVersion(),
                task.kind().wireName(),
                task.payload(),
                task.maxRetries(),
                task.timeout().toMillis(),
                task.createdAt().toEpochMilli(),
                task.retryBackoff().base().toMillis(),
                task.retryBackoff().cap().toMillis(),
                task.runAt().map(Instant::toEpochMilli).orElse(0L),
                keys.schedulerChannel()));
    ScriptReply outcome = ScriptReply.of(LuaScript.ENQUEUE, reply);
    return switch (outcome) {
      case OK -> EnqueueResult.ENQUEUED;
      case ALREADY_DONE -> EnqueueResult.ALREADY_ENQUEUED;
      case TASK_NAME_RETIRED -> EnqueueResult.MODULE_REMOVED;
      default -> throw outcome.unexpectedFrom(LuaScript.ENQUEUE);
    };
  }

  /**
   * Adds the queue to the index that lets a task be found by id alone; {@link #enqueue} does it
   * first. The index lives outside the queue's slot, so it is written before the task: an extra
   * name there is harmless, a missing one would hide tasks. Each queue is written once per client.
   */
  public void registerQueue(String queue) {
    if (!registeredQueues.contains(queue)) {
      redis.sadd(keys.queues(), queue);
      registeredQueues.add(queue);
    }
  }
}
