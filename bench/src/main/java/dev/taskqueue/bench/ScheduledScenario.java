package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
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
 * drain them), and a steady stream, each task due one second after it is submitted. Both are
 * measured on warm workers: no-op tasks run first, unmeasured.
 */
final class ScheduledScenario {
  private static final List<Integer> DEFAULT_BURSTS = List.of(1000, 10_000);

  /**
   * At most this many no-op tasks run before the bursts, unmeasured (ten times the largest burst
   * when that is fewer): enough for the JIT's hot paths.
   */
  private static final int MOST_WARM_UP_TASKS = 20_000;

  private static final int WARM_UP_WAVE = 1000;

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
    warmUp();
    List<Row> rows = new ArrayList<>();
    for (int n : bursts) {
      rows.add(burst(n));
    }
    rows.add(stream());
    return rows;
  }

  /**
   * Unmeasured first: the targets are for a scheduler and workers that have been running, as they
   * are in service, not for their JVMs' first compilations. So no-op tasks due in waves of {@link
   * #WARM_UP_WAVE}, a tenth of a second apart, go through the same promotion and claims first.
   * Without this the first burst's lateness is mostly warm-up (p99 over a second for 1,000 tasks).
   */
  private void warmUp() throws InterruptedException {
    int tasks = Math.min(MOST_WARM_UP_TASKS, 10 * bursts.stream().max(Integer::compare).orElse(0));
    // Far enough ahead for submitAll to store them all before the first is due, at 5,000/s.
    Instant first = Instant.now().plusSeconds(1).plusMillis(tasks / 5);
    List<Submission> waves = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      waves.add(dueAt(first.plusMillis(100L * (i / WARM_UP_WAVE))));
    }
    EndedTasks ended = setup.ended("default");
    setup.submitter.submitAll(waves);
    ended.await(tasks);
  }

  /** A no-op task, not retried, due at {@code due}. */
  private static Submission dueAt(Instant due) {
    return Submission.builder(BenchSetup.NOOP, "{}").withMaxRetries(0).withRunAt(due).build();
  }

  private Row burst(int n) throws InterruptedException {
    EndedTasks ended = setup.ended("default");
    // Every task must be submitted before the instant they are due: in one submitAll, a thousand
    // a call, so that a slow host still submits ten thousand in time.
    Instant due = Instant.now().plus(Duration.ofMillis(2000 + n / 2));
    List<Submission> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(dueAt(due));
    }
    List<TaskId> submitted = setup.submitter.submitAll(tasks);
    if (Instant.now().isAfter(due)) {
      throw new TaskQueueException(
          ExitCode.FAILURE, "submitting " + n + " tasks took past their due time");
    }
    // Counted, not read, until all have ended: reading each task's hash as it ends would take
    // CPU from the scheduler and the worker while they are measured.
    ended.await(n);
    return measure("scheduled " + n + " at once", submitted, due);
  }

  private Row stream() throws InterruptedException {
    int n = (int) Math.max(1, rate * streamFor.toMillis() / 1000);
    Instant start = Instant.now().plusSeconds(1);
    List<TaskId> submitted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant due = start.plusNanos(i * 1_000_000_000L / rate);
      sleepUntil(due.minusSeconds(1));
      NewTask task = newTask(due);
      setup.enqueuer.enqueue(task);
      submitted.add(task.id());
    }
    return measure("scheduled stream " + rate + "/s", submitted, start);
  }

  private NewTask newTask(Instant due) {
    return new NewTask(
        ids.next(),
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
        Optional.of(due));
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
          throw new TaskQueueException(ExitCode.FAILURE, name + " did not finish");
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
