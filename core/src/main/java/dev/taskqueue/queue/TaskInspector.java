package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.redisson.api.RedissonClient;

/** Reads tasks and queues without changing anything. */
public final class TaskInspector {
  private final RedissonClient redis;
  private final Keys keys;

  public TaskInspector(RedissonClient redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Every queue a task was ever submitted to. */
  public Set<String> queues() {
    Set<String> names = redis.<String>getSet(keys.queues()).readAll();
    return new TreeSet<>(names);
  }

  /** Finds a task by id, whatever its queue. */
  public Optional<Task> find(TaskId id) {
    for (String queue : queues()) {
      Optional<Task> task = find(queue, id);
      if (task.isPresent()) {
        return task;
      }
    }
    return Optional.empty();
  }

  public Optional<Task> find(String queue, TaskId id) {
    Map<String, String> hash = redis.<String, String>getMap(keys.task(queue, id)).readAllMap();
    return hash.isEmpty() ? Optional.empty() : Optional.of(Task.fromHash(hash));
  }

  /** For each queue holding unfinished tasks of {@code taskName}, how many there are. */
  public Map<String, Long> openTasks(String taskName) {
    Map<String, Long> counts = new TreeMap<>();
    for (String queue : queues()) {
      String count = redis.<String, String>getMap(keys.open(queue)).get(taskName);
      if (count != null && Long.parseLong(count) > 0) {
        counts.put(queue, Long.parseLong(count));
      }
    }
    return counts;
  }

  /** How many ids each list and sorted set of a queue holds. */
  public QueueDepth depth(String queue) {
    return new QueueDepth(
        queue,
        redis.getList(keys.pending(queue)).size(),
        redis.getList(keys.processing(queue)).size(),
        redis.getList(keys.finished(queue)).size(),
        redis.getList(keys.dlq(queue)).size(),
        redis.getScoredSortedSet(keys.scheduled(queue)).size(),
        redis.getScoredSortedSet(keys.timeout(queue)).size());
  }
}
