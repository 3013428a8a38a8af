package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Reads tasks and queues without changing anything. */
public final class TaskInspector {
  private final Redis redis;
  private final Keys keys;

  public TaskInspector(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Every queue a task was ever submitted to, sorted. */
  public Set<String> queues() {
    return redis.smembers(keys.queues());
  }

  /**
   * Finds a task by id, whatever its queue.
   *
   * @throws dev.taskqueue.task.CorruptTaskException when its hash cannot be read as a task
   */
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
    Map<String, String> hash = redis.hgetall(keys.task(queue, id));
    return hash.isEmpty() ? Optional.empty() : Optional.of(TaskHash.read(hash));
  }

  /** Open-task counts as people read them: {@code default 2, emails 1}. */
  public static String describe(Map<String, Long> openTasks) {
    return openTasks.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  /** For each queue holding unfinished tasks of {@code taskName}, how many there are. */
  public Map<String, Long> openTasks(String taskName) {
    Map<String, Long> counts = new TreeMap<>();
    for (String queue : queues()) {
      redis
          .hget(keys.open(queue), taskName)
          .map(Long::parseLong)
          .filter(count -> count > 0)
          .ifPresent(count -> counts.put(queue, count));
    }
    return counts;
  }
}
