package dev.taskqueue.producer;

import dev.taskqueue.queue.DeadLetters;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.QueueName;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskFields;
import dev.taskqueue.task.TaskId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter queues, as {@link TaskClient#deadLetters()} offers them: the tasks whose retries
 * are spent, one list per queue, newest first. They can be read, replayed (attempts reset, back to
 * pending with their payload, on their module version or the newest) and purged. Methods taking a
 * queue name throw {@link dev.taskqueue.error.InvalidInputException} for a name no queue can have.
 */
public final class DeadTasks {
  private final Redis redis;
  private final Keys keys;
  private final Clock clock;
  private final TaskInspector inspector;
  private final DeadLetters letters;

  DeadTasks(Redis redis, Keys keys, Clock clock, TaskInspector inspector) {
    this.redis = redis;
    this.keys = keys;
    this.clock = clock;
    this.inspector = inspector;
    this.letters = new DeadLetters(redis, keys, clock);
  }

  /** How many tasks of {@code queue} are dead. */
  public long count(String queue) {
    return letters.count(QueueName.check(queue));
  }

  /** The dead tasks of {@code queue}, newest first, at most {@code limit} (at least 1). */
  public List<Task> list(String queue, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit + " is not positive");
    }
    List<Task> tasks = new ArrayList<>();
    for (String id : letters.ids(QueueName.check(queue), limit)) {
      // A task purged since the ids were read is left out.
      inspector.find(queue, new TaskId(id)).ifPresent(tasks::add);
    }
    return tasks;
  }

  /** Ids of every dead task of {@code queue}, newest first. */
  public List<TaskId> ids(String queue) {
    return letters.ids(QueueName.check(queue), Integer.MAX_VALUE).stream()
        .map(TaskId::new)
        .toList();
  }

  /**
   * Gives the dead task with this id, whichever queue holds it, a fresh start at the end of its
   * queue. Safe to call again: a repeat answers {@link DeadLetters.Replay#NOT_DEAD}.
   */
  public DeadLetters.Replay replay(TaskId id) {
    return replay(id, DeadLetters.Version.KEPT).outcome();
  }

  /** As {@link #replay(TaskId)}, for a task known to be in {@code queue}. */
  public DeadLetters.Replay replay(String queue, TaskId id) {
    return replay(queue, id, DeadLetters.Version.KEPT).outcome();
  }

  /**
   * As {@link #replay(TaskId)}, on {@code version} of its module: {@link
   * DeadLetters.Version#NEWEST} runs it on a fixed module uploaded since it died.
   */
  public DeadLetters.Replayed replay(TaskId id, DeadLetters.Version version) {
    return inspector
        .find(id)
        .map(task -> letters.replay(task.queue(), id, version))
        .orElse(new DeadLetters.Replayed(DeadLetters.Replay.NO_SUCH_TASK, 0, 0));
  }

  /** As {@link #replay(TaskId, DeadLetters.Version)}, for a task known to be in {@code queue}. */
  public DeadLetters.Replayed replay(String queue, TaskId id, DeadLetters.Version version) {
    return letters.replay(QueueName.check(queue), id, version);
  }

  /**
   * Ids of the dead tasks of {@code queue} that {@link #purge(String)} would delete, oldest first.
   */
  public List<String> purgeable(String queue) {
    return purgeable(queue, Instant.ofEpochMilli(Long.MAX_VALUE));
  }

  /** Ids of the tasks {@link #purge(String, Duration)} would delete now, oldest first. */
  public List<String> purgeable(String queue, Duration olderThan) {
    return purgeable(queue, clock.instant().minus(olderThan));
  }

  /**
   * Deletes every dead task of {@code queue}. Their log files are left where the workers wrote
   * them; the returned locations say where.
   */
  public List<EndedTasks.Deleted> purge(String queue) {
    return letters.purge(QueueName.check(queue), Instant.ofEpochMilli(Long.MAX_VALUE));
  }

  /** Deletes the dead tasks of {@code queue} that died more than {@code olderThan} ago. */
  public List<EndedTasks.Deleted> purge(String queue, Duration olderThan) {
    return letters.purge(QueueName.check(queue), clock.instant().minus(olderThan));
  }

  /**
   * What {@code trim_ended.lua} would delete, read without changing anything: from the oldest, the
   * tasks that died before {@code cutoff}, up to the first that did not; a task no longer dead
   * (replayed meanwhile) is passed over, as the script does.
   */
  private List<String> purgeable(String queue, Instant cutoff) {
    List<String> ids = new ArrayList<>(redis.lrange(keys.dlq(QueueName.check(queue)), 0, -1));
    Collections.reverse(ids);
    List<String> doomed = new ArrayList<>();
    for (String id : ids) {
      String task = keys.task(queue, id);
      Optional<String> stage = redis.hget(task, TaskFields.STAGE);
      if (stage.isPresent() && !stage.get().equals(Stage.DEAD.wireName())) {
        continue;
      }
      if (diedAt(redis.hget(task, TaskFields.FINISHED_AT)) >= cutoff.toEpochMilli()) {
        break;
      }
      doomed.add(id);
    }
    return doomed;
  }

  /** As the script reads it: a missing or unreadable time counts as 0. */
  private static long diedAt(Optional<String> finishedAt) {
    try {
      return finishedAt.map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
