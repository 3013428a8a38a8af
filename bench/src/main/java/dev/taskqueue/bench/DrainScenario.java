package dev.taskqueue.bench;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.queue.QueueName;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;

/**
 * The {@code submit} and {@code drain} scenarios. {@code submit}: tasks submitted one at a time
 * from one client thread, through the full path a producer takes (checks, module pin, enqueue),
 * then the same number in one {@code submitAll} (which sends them a thousand per round trip), and
 * in one {@code producer submit --batch} of a file, the CLI's JVM start included; then the first
 * two again from this client once its JIT is done (a fresh JVM's figures are as much its compilers'
 * as its own). {@code drain}: N no-op tasks already pending, then the worker processes started;
 * first start to last completion, and the Redis commands and the CPU (workers', Redis's) each task
 * cost, and how much of the workers' went to their JIT compilers ({@link JitCpu}), which bound a
 * fresh drain on two cores (docs/benchmarks.md).
 */
final class DrainScenario {
  /**
   * From starting the worker processes to the first task's start: the JVM's start, connecting, and
   * compiling the modules the queue runs, which a worker does before its first claim.
   */
  static final String FIRST_START = "first_start_ms";

  /** A round of single submits while a client warms up. */
  private static final Duration SINGLES_ROUND = Duration.ofSeconds(1);

  /** Single submits between two reads of the clock, while a client warms up. */
  private static final int SINGLES_BETWEEN_CLOCK_READS = 100;

  /** Rounds of a client's warm-up at least (the JIT may pause between two), and at most. */
  private static final int LEAST_WARM_UP_ROUNDS = 3;

  private static final int MOST_SINGLES_ROUNDS = 40;
  private static final int MOST_BATCH_ROUNDS = 8;

  /** The queue the submit scenarios fill, which no worker serves. */
  private static final String SUBMIT_QUEUE = "submit";

  /** A no-op task, not retried, as a line of a {@code --batch} file. */
  private static final String CLI_LINE =
      "{\"task\":\""
          + BenchSetup.NOOP
          + "\",\"payload\":{},\"queue\":\""
          + SUBMIT_QUEUE
          + "\",\"max-retries\":0}";

  private final BenchSetup setup;
  private final int tasks;

  DrainScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  Row submit() throws InterruptedException {
    setup.stopWorkers();
    double seconds = submitSingles(tasks);
    return Row.throughput(
        "submit single, 1 thread", tasks, setup, false, seconds, OptionalDouble.empty());
  }

  Row submitBatch() throws InterruptedException {
    setup.stopWorkers();
    double seconds = submitBatchOf(tasks);
    return Row.throughput(
        "submit batch (submitAll)", tasks, setup, false, seconds, OptionalDouble.empty());
  }

  /**
   * Single submits as {@link #submit}'s, from a client whose JIT is done: after unmeasured rounds
   * of {@link #SINGLES_ROUND} of them until this JVM's compilers have gone quiet ({@link WarmUp}).
   * The rate a thread of a producer in service keeps up, where {@link #submit}'s is a fresh JVM's
   * first submits, its compiling included.
   */
  Row submitWarm() throws InterruptedException {
    return warm(
        "submit single, 1 thread, warm",
        MOST_SINGLES_ROUNDS,
        () -> {
          long until = System.nanoTime() + SINGLES_ROUND.toNanos();
          while (System.nanoTime() < until) {
            submitSingles(SINGLES_BETWEEN_CLOCK_READS);
          }
        },
        () -> submitSingles(tasks));
  }

  /**
   * A {@code submitAll} as {@link #submitBatch}'s, from a client whose JIT is done: after
   * unmeasured ones of as many tasks until this JVM's compilers have gone quiet over one ({@link
   * WarmUp}).
   */
  Row submitBatchWarm() throws InterruptedException {
    return warm(
        "submit batch (submitAll), warm",
        MOST_BATCH_ROUNDS,
        () -> submitBatchOf(tasks),
        () -> submitBatchOf(tasks));
  }

  /**
   * The row {@code scenario}: {@code measured}'s seconds for {@link #tasks} tasks, after rounds of
   * {@code round} until this JVM's JIT is done ({@link WarmUp}), at most {@code mostRounds}.
   */
  private Row warm(String scenario, int mostRounds, WarmUp.Round round, DoubleSupplier measured)
      throws InterruptedException {
    setup.stopWorkers();
    double warmUp = WarmUp.until(WarmUp::thisJvm, LEAST_WARM_UP_ROUNDS, mostRounds, round);
    return Row.throughput(
            scenario, tasks, setup, false, measured.getAsDouble(), OptionalDouble.empty())
        .with(WarmUp.KEY, warmUp);
  }

  /**
   * Removes the tasks the submit rows left in Redis (with their warm-ups', up to several hundred
   * thousand), so that the scenarios after them do not run beside them. Unmeasured.
   */
  void dropSubmitted() {
    setup.session.redis().deleteMatching(setup.session.keys().task(SUBMIT_QUEUE, "*"));
    setup.session.redis().deleteMatching(setup.session.keys().pending(SUBMIT_QUEUE));
  }

  /** Submits {@code n} no-op tasks one at a time from this thread; returns the seconds it took. */
  private double submitSingles(int n) {
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      setup.submitter.submit(
          Submission.builder(BenchSetup.NOOP, "{}").withQueue(SUBMIT_QUEUE).build());
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Submits {@code n} no-op tasks in one {@code submitAll}; returns the seconds the call took. */
  private double submitBatchOf(int n) {
    List<Submission> batch = noops(n, SUBMIT_QUEUE);
    long start = System.nanoTime();
    setup.submitter.submitAll(batch);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The same batch through the CLI, {@code producer submit --batch FILE.jsonl}: a JVM of its own,
   * timed from its start to its exit, as a script that submits a file sees it. It checks every line
   * before it writes a task, then sends them a thousand per round trip as {@code submitAll} does.
   * It starts as the CLI does on every run but its first, from its class archive (bin/lib/
   * class-cache.sh), which a command run first writes if there is none yet.
   */
  Row submitBatchCli() throws IOException, InterruptedException {
    setup.stopWorkers();
    setup.run("producer", "queues");
    Path file = setup.dir.resolve("batch.jsonl");
    Files.write(file, Collections.nCopies(tasks, CLI_LINE));
    long pendingBefore = setup.pending(SUBMIT_QUEUE);
    long start = System.nanoTime();
    setup.run("producer", "submit", "--batch", file.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    long added = setup.pending(SUBMIT_QUEUE) - pendingBefore;
    if (added != tasks) {
      throw new TaskQueueException(
          ExitCode.FAILURE,
          "producer submit --batch added " + added + " tasks where " + tasks + " were given");
    }
    return Row.throughput(
        "submit batch (producer CLI)", tasks, setup, false, seconds, OptionalDouble.empty());
  }

  /**
   * The drain, and the same drain once warm: from the first start to the last completion, and over
   * the last three quarters of the tasks to end, which leaves out the worker's start-up and the
   * JIT's first compilations.
   */
  List<Row> drain() throws InterruptedException, IOException {
    setup.stopWorkers();
    EndedTasks ended = setup.ended("default");
    List<TaskId> queued = setup.submitter.submitAll(noops(tasks));
    CommandStats.Usage before = CommandStats.read(setup.url());
    long workersStarted = System.currentTimeMillis();
    setup.startWorkers();
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    ended.await(tasks);
    // Heartbeats and idle waits count too: read before the workers have idled for long.
    CommandStats.Usage redis = CommandStats.read(setup.url()).since(before);
    double workerCpu = setup.workerCpuSeconds();
    OptionalLong jit = JitCpu.nanos(setup.workerPids());
    Instant first = Instant.MAX;
    long[] finished = new long[tasks];
    int i = 0;
    for (TaskId id : queued) {
      Task task = inspector.find("default", id).orElseThrow();
      Instant started = task.startedAt().orElseThrow();
      first = started.isBefore(first) ? started : first;
      finished[i++] = task.finishedAt().orElseThrow().toEpochMilli();
    }
    Arrays.sort(finished);
    double seconds = (finished[tasks - 1] - first.toEpochMilli()) / 1e3;
    OptionalDouble perTask = OptionalDouble.of((double) redis.commands() / tasks);
    int quarter = tasks / 4;
    int warm = tasks - quarter;
    double warmSeconds = Math.max(1, finished[tasks - 1] - finished[quarter]) / 1e3;
    Row drain =
        Row.throughput("drain", tasks, setup, true, seconds, perTask)
            // The workers' CPU counts from their start: JVM start-up and JIT included.
            .withCostPerTask(workerCpu, redis, tasks)
            .with(FIRST_START, (double) (first.toEpochMilli() - workersStarted));
    if (jit.isPresent()) {
      drain = drain.with(JitCpu.KEY, jit.getAsLong() / 1e6);
    }
    return List.of(
        drain, Row.throughput("drain, last 3/4 (warm)", warm, setup, true, warmSeconds, perTask));
  }

  /** {@code n} no-op tasks for the queue the workers serve, not retried. */
  static List<Submission> noops(int n) {
    return noops(n, QueueName.DEFAULT);
  }

  /** {@code n} no-op tasks for {@code queue}, not retried. */
  static List<Submission> noops(int n, String queue) {
    List<Submission> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(
          Submission.builder(BenchSetup.NOOP, "{}").withQueue(queue).withMaxRetries(0).build());
    }
    return batch;
  }
}
