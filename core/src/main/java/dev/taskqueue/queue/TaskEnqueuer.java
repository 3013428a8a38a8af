package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes new tasks: one {@code enqueue.lua} call per task, or per batch of tasks of one queue. A
 * call is safe to send again (the ids are made before the first send); {@link
 * dev.taskqueue.submission.TaskSubmitter} does so when a reply is lost.
 */
public final class TaskEnqueuer {
  private final Redis redis;
  private final Keys keys;
  private final Set<String> registeredQueues = ConcurrentHashMap.newKeySet();

  /**
   * By queue, a worker standing by as the latest reply named it: the next call may hand its new
   * tasks to it, sparing them a claim on their way to their start ({@code enqueue.lua}).
   */
  private final Map<String, StandingWorker> standing = new ConcurrentHashMap<>();

  public TaskEnqueuer(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /**
   * Creates the task hash and appends the id to its queue's pending list, or for a task with a
   * run-at time adds it to the queue's scheduled set, atomically.
   */
  public EnqueueResult enqueue(NewTask task) {
    Enqueued enqueued = enqueueAll(task.queue(), List.of(task));
    if (enqueued.refused().isPresent()) {
      return enqueued.refused().get().why();
    }
    return enqueued.created() == 1 ? EnqueueResult.ENQUEUED : EnqueueResult.ALREADY_ENQUEUED;
  }

  /**
   * Enqueues {@code tasks}, all of queue {@code queue}, in order, in one atomic call: all are
   * queued, or none is and the first refused says why. Keep a call to about a thousand tasks: Redis
   * serves nothing else while it runs.
   */
  public Enqueued enqueueAll(String queue, List<NewTask> tasks) {
    return Redis.await(enqueueAllAsync(queue, tasks, Optional.empty()));
  }

  /**
   * Like {@link #enqueueAll}, without waiting for the reply. With {@code after}, a task of the same
   * queue that an earlier call still in flight creates, this call is refused ({@link
   * EnqueueResult#TOO_EARLY}, nothing written) unless that task exists: two calls in flight may
   * reach Redis in either order, and a batch must stay in order.
   *
   * @return completes with what the call did, or fails as {@link #enqueueAll} throws (see {@link
   *     Redis#await})
   */
  public CompletableFuture<Enqueued> enqueueAllAsync(
      String queue, List<NewTask> tasks, Optional<TaskId> after) {
    registerQueue(queue);
    EnqueueArguments arguments =
        EnqueueArguments.of(keys, queue, tasks, after, Optional.ofNullable(standing.get(queue)));
    return redis
        .scripts()
        .evalListAsync(LuaScript.ENQUEUE, arguments.keys(), arguments.args())
        .thenApply(reply -> enqueued(queue, reply));
  }

  private Enqueued enqueued(String queue, List<?> reply) {
    int value = ((Number) reply.get(1)).intValue();
    ScriptReply outcome = ScriptReply.of(LuaScript.ENQUEUE, ((Number) reply.get(0)).longValue());
    return switch (outcome) {
      case OK -> {
        learnStanding(queue, reply);
        yield new Enqueued(value, Optional.empty());
      }
      case NO_SUCH_MODULE -> refused(value, EnqueueResult.MODULE_UNKNOWN);
      case TASK_NAME_RETIRED -> refused(value, EnqueueResult.MODULE_REMOVED);
      case TOO_EARLY -> refused(1, EnqueueResult.TOO_EARLY);
      default -> throw outcome.unexpectedFrom(LuaScript.ENQUEUE);
    };
  }

  /** Takes note of the worker standing by that the reply names, or that none does. */
  private void learnStanding(String queue, List<?> reply) {
    String record = reply.size() > 3 ? String.valueOf(reply.get(2)) : "";
    if (record.isEmpty()) {
      standing.remove(queue);
    } else {
      standing.put(queue, new StandingWorker(record, String.valueOf(reply.get(3))));
    }
  }

  /** The script counts tasks from 1. */
  private static Enqueued refused(int position, EnqueueResult why) {
    return new Enqueued(0, Optional.of(new Enqueued.Refused(position - 1, why)));
  }

  /** Whether this client has added {@code queue} to the index already. */
  public boolean registered(String queue) {
    return registeredQueues.contains(queue);
  }

  /**
   * Adds the queue to the index that lets a task be found by id alone; {@link #enqueueAll} does it
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
