package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.redis.ScriptRunner;
import dev.taskqueue.task.NewTask;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RedissonClient;

/** Writes new tasks: one {@code enqueue.lua} call per task. */
public final class TaskEnqueuer {
  private final RedissonClient redis;
  private final ScriptRunner scripts;
  private final Keys keys;
  private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

  public TaskEnqueuer(RedissonClient redis, ScriptRunner scripts, Keys keys) {
    this.redis = redis;
    this.scripts = scripts;
    this.keys = keys;
  }

  /** Creates the task hash and appends the id to its queue's pending list, atomically. */
  public void enqueue(NewTask task) {
    registerQueue(task.queue());
    long reply =
        scripts.evalLong(
            LuaScript.ENQUEUE,
            List.of(
                keys.task(task.queue(), task.id()),
                keys.pending(task.queue()),
                keys.marker(task.queue()),
                keys.open(task.queue())),
            task.id().value(),
            task.queue(),
            task.name(),
            task.moduleDigest(),
            task.moduleVersion(),
            task.kind().wireName(),
            task.payload(),
            task.maxRetries(),
            task.timeout().toMillis(),
            task.createdAt().toEpochMilli());
    ScriptReply outcome = ScriptReply.of(LuaScript.ENQUEUE, reply);
    if (outcome != ScriptReply.OK) {
      throw outcome.toException(task.id().value());
    }
  }

  /**
   * Adds the queue to the index that lets a task be found by id alone. The index lives outside the
   * queue's slot, so it is written before the task: an extra name there is harmless, a missing one
   * would hide tasks. Each queue is written once per client.
   */
  private void registerQueue(String queue) {
    if (registeredQueues.add(queue)) {
      redis.getSet(keys.queues()).add(queue);
    }
  }
}
