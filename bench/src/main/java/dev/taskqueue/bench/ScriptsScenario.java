package dev.taskqueue.bench;

import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.TaskResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@code scripts} scenario: what each step of a task's life costs Redis, with nothing else
 * running. N no-op tasks are submitted in one batch ({@code enqueue.lua}), claimed {@value
 * #PER_CALL} at a time ({@code claim.lua}) and ended as completed {@value #PER_CALL} at a time
 * ({@code end_attempt.lua}), all from this one client through the classes a producer and a worker
 * use, with no worker process; {@value #ROUNDS} rounds. Then the same with one task a call (single
 * submits, claims of one, endings of one), as an idle worker's tasks go when they arrive one at a
 * time: the path of the {@code latency} scenario, whose cost is each call's own rather than a
 * task's share of a large one ({@value #MOST_SINGLE} tasks a round at most). One row per step:
 * Redis's CPU and commands per task over all rounds, and the lowest CPU of one round, the round
 * least disturbed by whatever else the machine ran. On a noisy machine a change to a script is
 * judged far more steadily by these than by a flow's tasks/s (docs/benchmarks.md).
 */
final class ScriptsScenario {
  static final String NAME = "scripts";

  /** Tasks a claim takes, and attempts an ending ends, at most: about what a busy worker's do. */
  static final int PER_CALL = 100;

  static final int ROUNDS = 5;

  /** Tasks a round with one task a call, at most: each call costs Redis tens of microseconds. */
  static final int MOST_SINGLE = 2_000;

  /** The CPU of the least disturbed round, beside {@link Row#REDIS_CPU} over all of them. */
  static final String LOWEST_CPU = "redis_cpu_us_per_task_lowest";

  private static final String QUEUE = "scripts";

  private final BenchSetup setup;
  private final int tasks;

  ScriptsScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  List<Row> run() throws IOException, InterruptedException {
    setup.stopWorkers();
    List<Row> rows = new ArrayList<>(steps(PER_CALL, tasks));
    rows.addAll(steps(1, Math.min(tasks, MOST_SINGLE)));
    return rows;
  }

  /** The three steps' rows, {@code perCall} tasks a call, {@code count} tasks a round. */
  private List<Row> steps(int perCall, int count) throws IOException {
    Clock clock = Clock.systemUTC();
    Claimer claimer =
        new Claimer(
            setup.session.redis(),
            setup.session.keys(),
            clock,
            "bench-scripts",
            "bench",
            Duration.ofMinutes(10));
    AttemptRecorder recorder =
        new AttemptRecorder(setup.session.redis(), setup.session.keys(), clock);
    String calls = perCall + " a call";
    Step enqueue =
        new Step(perCall == 1 ? "scripts: enqueue, 1 a call" : "scripts: enqueue (batch)", count);
    Step claim = new Step("scripts: claim, " + calls, count);
    Step end = new Step("scripts: end completed, " + calls, count);
    TaskResult result = TaskResult.of("{}".getBytes(StandardCharsets.UTF_8));
    for (int round = 0; round < ROUNDS; round++) {
      List<Submission> batch = DrainScenario.noops(count, QUEUE);
      enqueue.start();
      if (perCall == 1) {
        for (Submission one : batch) {
          setup.submitter.submit(one);
        }
      } else {
        setup.submitter.submitAll(batch);
      }
      enqueue.stop();

      List<Claimed> claimed = new ArrayList<>(count);
      claim.start();
      while (claimed.size() < count) {
        List<Claimed> taken = claimer.claim(QUEUE, Math.min(perCall, count - claimed.size()));
        if (taken.isEmpty()) {
          throw new IllegalStateException(
              "claimed " + claimed.size() + " of the " + count + " tasks submitted, then none");
        }
        claimed.addAll(taken);
      }
      claim.stop();

      end.start();
      for (int from = 0; from < count; from += perCall) {
        List<AttemptOutcome> outcomes = new ArrayList<>(perCall);
        for (Claimed task : claimed.subList(from, Math.min(count, from + perCall))) {
          outcomes.add(AttemptOutcome.completed(task.lease(), result, logPath(task)));
        }
        recorder.endAll(outcomes);
      }
      end.stop();
    }
    return List.of(enqueue.row(), claim.row(), end.row());
  }

  /** Where a worker with logs on would say the task's log is: the ending records it. */
  private Optional<String> logPath(Claimed task) {
    return setup.logs
        ? Optional.of("/var/log/task-queue/tasks/" + task.lease().taskId() + ".log")
        : Optional.empty();
  }

  /** One step's rounds: what Redis spent over each, and how long each took. */
  private final class Step {
    final String name;
    final int count;
    CommandStats.Usage before;
    long startedAt;
    CommandStats.Usage spent = new CommandStats.Usage(0, 0);
    double lowestCpuSeconds = Double.MAX_VALUE;
    long nanos;

    Step(String name, int count) {
      this.name = name;
      this.count = count;
    }

    void start() throws IOException {
      before = CommandStats.read(setup.url());
      startedAt = System.nanoTime();
    }

    void stop() throws IOException {
      nanos += System.nanoTime() - startedAt;
      CommandStats.Usage round = CommandStats.read(setup.url()).since(before);
      spent = spent.plus(round);
      lowestCpuSeconds = Math.min(lowestCpuSeconds, round.cpuSeconds());
    }

    Row row() {
      int all = count * ROUNDS;
      return Row.throughput(
              name,
              count,
              setup,
              false,
              nanos / 1e9 / ROUNDS,
              OptionalDouble.of((double) spent.commands() / all))
          .with(Row.REDIS_CPU, spent.cpuSeconds() * 1e6 / all)
          .with(LOWEST_CPU, lowestCpuSeconds * 1e6 / count);
    }
  }
}
