package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.PackedArgument;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys and arguments of one {@code enqueue.lua} call, as the script reads them: the queue's
 * keys and a hash key per task; the tasks' shapes ({@link TaskShape}), each once, then each task's
 * id, shape and payload, packed in one value; and whether a worker standing by is named, to hand
 * the new tasks to ({@link StandingWorker}).
 *
 * <p>A task is added by a method of its own ({@link #add}), called once a task, so that the JIT
 * compiles it early as an ordinary method: as one loop over a call's thousand tasks, the work was
 * compiled on the stack, at up to a quarter of a second of C2's time each, while a fresh client's
 * batch ran on in C1's code (docs/benchmarks-journal.md).
 */
final class EnqueueArguments {
  /**
   * Values {@code enqueue.lua} takes per task: its id, its shape ({@link TaskShape}), its payload.
   */
  private static final int PER_TASK = 3;

  private final Keys keys;
  private final String queue;
  private final List<String> keyList;
  private final Map<TaskShape, Integer> shapes = new LinkedHashMap<>();
  private final PackedArgument perTask;
  private final Optional<StandingWorker> standing;
  private TaskShape last;
  private int lastShape;

  private EnqueueArguments(
      Keys keys, String queue, int tasks, int bytesHint, Optional<StandingWorker> standing) {
    this.keys = keys;
    this.queue = queue;
    this.standing = standing;
    this.keyList = new ArrayList<>(14 + tasks);
    String standingKey = keys.standing(queue);
    keyList.addAll(
        List.of(
            keys.pending(queue),
            keys.marker(queue),
            keys.open(queue),
            keys.retired(queue),
            keys.scheduled(queue),
            keys.modules(queue),
            keys.stats(queue),
            keys.processing(queue),
            keys.timeout(queue),
            keys.paused(queue),
            standingKey,
            standing.map(StandingWorker::record).orElse(standingKey),
            standing.map(StandingWorker::handoff).orElse(standingKey)));
    this.perTask = new PackedArgument(PER_TASK * tasks, bytesHint);
  }

  /**
   * The arguments that enqueue {@code tasks}, all of {@code queue}, once the task {@code after}
   * names exists (when present).
   */
  static EnqueueArguments of(
      Keys keys,
      String queue,
      List<NewTask> tasks,
      Optional<TaskId> after,
      Optional<StandingWorker> standing) {
    int bytesHint = 0;
    for (NewTask task : tasks) {
      bytesHint += task.id().value().length() + task.payload().length() + 8;
    }
    EnqueueArguments arguments =
        new EnqueueArguments(keys, queue, tasks.size(), bytesHint, standing);
    for (NewTask task : tasks) {
      arguments.add(task);
    }
    after.ifPresent(id -> arguments.keyList.add(keys.task(queue, id)));
    return arguments;
  }

  private void add(NewTask task) {
    if (!task.queue().equals(queue)) {
      throw new IllegalArgumentException("bug: task of queue " + task.queue() + " in " + queue);
    }
    keyList.add(keys.task(queue, task.id()));
    TaskShape shape = TaskShape.of(task);
    if (!shape.equals(last)) {
      last = shape;
      lastShape = shapes.computeIfAbsent(shape, s -> shapes.size() + 1);
    }
    perTask.text(task.id().value()).number(lastShape).text(task.payload());
  }

  /**
   * The keys: the queue's, the keys of the worker standing by that the call may hand its tasks to
   * (the standing hash in their place when none is known), the tasks' hashes, then the one of
   * {@code after}, if any.
   */
  List<String> keys() {
    return keyList;
  }

  /** The arguments, in the order {@code enqueue.lua} reads them. */
  List<Object> args() {
    List<Object> args = new ArrayList<>(4 + TaskShape.VALUES * shapes.size());
    args.add(queue);
    args.add(keys.schedulerChannel());
    args.add(shapes.size());
    shapes.keySet().forEach(shape -> shape.addTo(args));
    args.add(perTask.bytes());
    args.add(standing.isPresent() ? 1 : 0);
    return args;
  }
}
