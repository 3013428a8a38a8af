package dev.taskqueue.producer;

import dev.taskqueue.queue.QueueDepths.Depth;
import dev.taskqueue.task.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One queue as {@code producer queues} and {@code producer stats} show it: whether it is paused,
 * its depths, since when its next pending task was due, and when the earliest of its scheduled
 * tasks is (or was) due.
 */
record QueueView(
    String queue,
    boolean paused,
    Depth depth,
    Optional<Instant> oldestDue,
    Optional<Instant> nextScheduled) {

  /** The first columns of both tables. */
  static final List<String> HEADERS =
      List.of("QUEUE", "STATE", "PENDING", "PROCESSING", "SCHEDULED", "DLQ");

  /** Every queue, by name in order. */
  static List<QueueView> read(TaskClient client) {
    Map<String, Depth> depths = client.depths();
    Set<String> paused = client.pauses().pausedSince(depths.keySet()).keySet();
    List<QueueView> queues = new ArrayList<>();
    depths.forEach(
        (queue, depth) ->
            queues.add(
                new QueueView(
                    queue,
                    paused.contains(queue),
                    depth,
                    client.nextPending(queue).map(Task::dueAt),
                    depth.scheduled() == 0 ? Optional.empty() : client.nextScheduled(queue))));
    return queues;
  }

  /**
   * What the tables print under them: a line for each queue whose scheduled tasks are overdue.
   * {@code movers} is read once, and only when one is.
   */
  static String notes(List<QueueView> queues, Instant now, Supplier<Movers> movers) {
    StringBuilder notes = new StringBuilder();
    Movers read = null;
    for (QueueView q : queues) {
      Optional<Instant> due = q.nextScheduled.filter(t -> Overdue.overdue(t, now));
      if (due.isPresent()) {
        if (read == null) {
          read = movers.get();
        }
        notes.append(Overdue.queueNote(q.queue, due.get(), now, read));
      }
    }
    return notes.toString();
  }

  /** The queue's name, state and depths, the first columns of both tables ({@link #HEADERS}). */
  List<String> cells() {
    return List.of(
        queue,
        paused ? "paused" : "active",
        Long.toString(depth.pending()),
        Long.toString(depth.processing()),
        Long.toString(depth.scheduled()),
        Long.toString(depth.dlq()));
  }

  /** The queue's name and depths, the first fields of both JSON forms, in order. */
  Map<String, Object> fields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("queue", queue);
    fields.put("paused", paused);
    fields.put("pending", depth.pending());
    fields.put("processing", depth.processing());
    fields.put("scheduled", depth.scheduled());
    fields.put("dlq", depth.dlq());
    fields.put("next_scheduled_at", nextScheduled.map(Instant::toString).orElse(null));
    return fields;
  }

  /** How long the next pending task has waited since it was due, ms; empty when none waits. */
  Optional<Long> waitedMs(Instant now) {
    return oldestDue.map(due -> Math.max(0, now.toEpochMilli() - due.toEpochMilli()));
  }

  /** The same as people read it (1.5s, 2m05s), or "-". */
  String waited(Instant now) {
    return oldestDue.map(due -> HistoryReport.took(due, now)).orElse("-");
  }
}
