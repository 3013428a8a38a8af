package dev.taskqueue.worker;

import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A task as a worker holds it while it runs: claimed by w1 at the clock's time. */
final class RunningTask {
  static final TaskId ID = TaskId.parse("0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90");

  private RunningTask() {}

  /** Attempt {@code attempt} of task {@link #ID}, named {@code name}, in {@code queue}. */
  static Task of(String queue, String name, int attempt, Clock clock) {
    return new Task(
        ID,
        queue,
        name,
        "sha256:00",
        1,
        Kind.IMMEDIATE,
        Stage.IN_PROGRESS,
        "{}",
        attempt,
        3,
        Tasks.BACKOFF,
        Duration.ofSeconds(30),
        clock.instant(),
        Optional.of(clock.instant()),
        Optional.empty(),
        Optional.of("w1"),
        Optional.of("host-1"),
        attempt,
        Optional.of(clock.instant().plusSeconds(40)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Optional.empty(),
        TaskLimits.NONE);
  }
}
