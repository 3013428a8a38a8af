package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scheduled} scenario: how late scheduled tasks start. Lateness is a task's start (its
 * {@code started_at}, when a worker claimed it) minus the time it was due ({@code run_at}). Two
 * shapes: N tasks due at the same instant (a burst: the scheduler promotes them all, the workers
 * drain them), and a steady stream, each task due one second after it is submitted.
 */
final class ScheduledScenario {
  private static final List<Integer> DEFAULT_BURSTS = List.of(1000, 10_000);

  private final BenchSetup setup;
  private final List<Integer> bursts;
  private final ModuleVersion module;
  private final TaskIdGenerator ids = new TaskIdGenerator(Clock.systemUTC());
  private final TaskInspector inspector;
  private final int rate;
  private final Duration streamFor;

  ScheduledScenario(BenchSetup setup, List<Integer> bursts, int rate, Duration streamFor) {
    this.setup = setup;
    this.rate = rate;
    this.streamFor = streamFor;
    this.bursts = bursts.isEmpty() ? DEFAULT_BURSTS : bursts;
    this.module =
        new ModuleStore(setup.session.redis(), setup.session.keys()).require(BenchSetup.NOOP);
    this.inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
  }

  List<Row> run() throws InterruptedException {
    List<Row> rows = new ArrayList<>();
    for (int n : bursts) {
      rows.add(burst(n));
    }
    rows.add(stream());
    return rows;
  }

  private Row burst(int n) throws InterruptedException {
    // Every task must be submitted before the instant they are due.
    Instant due = Instant.now().plus(Duration.ofMillis(2000 + n / 2));
    List<TaskId> submitted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      submitted.add(submit(due));
    }
    if (Instant.now().isAfter(due)) {
      throw new TaskQueueException(
          ExitCode.FAILURE, "bench: submitting " + n + " tasks took past their due time");
    }
    return measure("scheduled " + n + " at once", submitted, due);
  }

  private Row stream() throws InterruptedException {
    int n = (int) Math.max(1, rate * streamFor.toMillis() / 1000);
    Instant start = Instant.now().plusSeconds(1);
    List<TaskId> submitted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant due = start.plusNanos(i * 1_000_000_000L / rate);
      sleepUntil(due.minusSeconds(1));
      submitted.add(submit(due));
    }
    return measure("scheduled stream " + rate + "/s", submitted, start);
  }

  private TaskId submit(Instant due) {
    TaskId id = ids.next();
    setup.enqueuer.enqueue(
        new NewTask(
            id,
            "default",
            BenchSetup.NOOP,
            module.digest(),
            module.version(),
            Kind.SCHEDULED,
            "{}",
            0,
            new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
            Duration.ofSeconds(30),
            Instant.now(),
            Optional.of(due)));
    return id;
  }

  /** Waits for every task to end, then reads each one's lateness. */
  private Row measure(String name, List<TaskId> submitted, Instant firstDue)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    List<Task> tasks = new ArrayList<>(submitted.size());
    for (TaskId id : submitted) {
      Task task = inspector.find("default", id).orElseThrow();
      while (!task.stage().isFinal()) {
        if (Instant.now().isAfter(deadline)) {
          throw new TaskQueueException(ExitCode.FAILURE, "bench: " + name + " did not finish");
        }
        Thread.sleep(20);
        task = inspector.find("default", id).orElseThrow();
      }
      tasks.add(task);
    }
    double[] lateness =
        tasks.stream()
            .mapToDouble(
                t ->
                    Duration.between(t.runAt().orElseThrow(), t.startedAt().orElseThrow()).toNanos()
                        / 1e6)
            .sorted()
            .toArray();
    Instant lastEnd =
        tasks.stream().map(t -> t.finishedAt().orElseThrow()).max(Instant::compareTo).orElseThrow();
    double seconds = Duration.between(firstDue, lastEnd).toNanos() / 1e9;
    return Row.percentiles(name, setup, seconds, lateness);
  }

  private static void sleepUntil(Instant at) throws InterruptedException {
    long ms = Duration.between(Instant.now(), at).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  @Override
  public String toString() {
    return "scheduled " + Arrays.toString(bursts.toArray());
  }
}
