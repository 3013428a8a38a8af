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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The {@code submit} and {@code drain} scenarios. {@code submit}: tasks submitted one at a time
 * from one client thread, through the full path a producer takes (checks, module pin, enqueue),
 * then the same number in one {@code submitAll} (which sends them a thousand per round trip), and
 * in one {@code producer submit --batch} of a file, the CLI's JVM start included. {@code drain}: N
 * no-op tasks already pending, then the worker processes started; first start to last completion,
 * and the Redis commands and the CPU (workers', Redis's) each task cost, and how much of the
 * workers' went to their JIT compilers ({@link JitCpu}), which bound a fresh drain on two cores
 * (docs/benchmarks.md).
 */
final class DrainScenario {
  /**
   * From starting the worker processes to the first task's start: the JVM's start, connecting, and
   * compiling the modules the queue runs, which a worker does before its first claim.
   */
  static final String FIRST_START = "first_start_ms";

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
    long start = System.nanoTime();
    for (int i = 0; i < tasks; i++) {
      setup.submitter.submit(
          Submission.builder(BenchSetup.NOOP, "{}").withQueue(SUBMIT_QUEUE).build());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return Row.throughput(
        "submit single, 1 thread", tasks, setup, false, seconds, OptionalDouble.empty());
  }

  Row submitBatch() throws InterruptedException {
    setup.stopWorkers();
    List<Submission> batch = noops(tasks, SUBMIT_QUEUE);
    long start = System.nanoTime();
    setup.submitter.submitAll(batch);
    double seconds = (System.nanoTime() - start) / 1e9;
    return Row.throughput(
        "submit batch (submitAll)", tasks, setup, false, seconds, OptionalDouble.empty());
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
    long endedBefore = setup.ended("default");
    List<TaskId> queued = setup.submitter.submitAll(noops(tasks));
    CommandStats.Usage before = CommandStats.read(setup.url());
    long workersStarted = System.currentTimeMillis();
    setup.startWorkers();
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    setup.awaitEnded("default", endedBefore + tasks);
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
