package dev.taskqueue.producer;

import dev.taskqueue.schedule.Schedule;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A schedule with what {@code producer cron list} and {@code show} tell about it besides its hash:
 * its next fire times and the task its latest firing made.
 *
 * @param nextFires the next {@link #NEXT_FIRES} fire times from its stored next fire time (which is
 *     in the past while a scheduler is late); none while it is paused
 * @param lastTask the task its latest firing made; empty when it never fired or that task was
 *     deleted since (the retention of ended tasks)
 */
record ScheduleView(Schedule schedule, List<Instant> nextFires, Optional<Task> lastTask) {
  static final int NEXT_FIRES = 3;

  /** Reads the latest firing's task through {@code client}. */
  static ScheduleView of(Schedule schedule, TaskClient client) {
    Optional<Task> last =
        schedule.lastTaskId().filter(TaskId::isValid).map(TaskId::new).flatMap(client::find);
    return new ScheduleView(schedule, nextFires(schedule), last);
  }

  private static List<Instant> nextFires(Schedule schedule) {
    List<Instant> fires = new ArrayList<>();
    if (schedule.paused()) {
      return fires;
    }
    Optional<Instant> next = schedule.nextFireAt();
    while (next.isPresent() && fires.size() < NEXT_FIRES) {
      fires.add(next.get());
      next = schedule.cron().nextAfter(next.get());
    }
    return fires;
  }
}
