package dev.taskqueue.bench;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.submission.Submission;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code hostile} scenario: normal tasks beside hostile ones on the same worker. A hostile task
 * must hurt only itself. So:
 *
 * <ul>
 *   <li>the worker's heap after a full GC and its threads are the same after the mix as before it;
 *   <li>a steady stream of no-ops keeps its throughput when a stream of hostile tasks (traps,
 *       endless recursion, bad pointers, a non-zero exit, an oversized result, a denied WASI call,
 *       memory grown to the cap, a newline flood, and loops and sleeps cut by a short timeout) is
 *       submitted beside it at the same rate, against the same stream alone;
 *   <li>no-ops drained at full speed after the mix go as fast as before it.
 * </ul>
 *
 * Streams, not drains, are compared: a drain of no-ops mixed with hostile tasks measures how much
 * CPU the hostile tasks take (their own, within their limits), not whether the no-ops still get
 * through. Each hostile kind is then drained alone, to show what it costs.
 */
final class HostileScenario {
  static final String NAME = "hostile";

  /** The hostile test modules mixed in, each ending by its own fault or its timeout. */
  static final List<String> MODULES =
      List.of(
          "trap",
          "recursion",
          "bad-alloc",
          "bad-result",
          "exit-code",
          "huge-result",
          "denied-wasi",
          "hog",
          "newline-flood",
          "spin",
          "init-loop",
          "sleep");

  /** The module whose start never ends: the registry refuses it, so it is published directly. */
  private static final String NEVER_STARTS = "init-loop";

  /** The hostile tasks' timeout: the loops and the sleep run until it. */
  static final Duration TIMEOUT = Duration.ofMillis(100);

  /** Each stream's rate when none is given: the mix then takes about half the worker's CPU. */
  static final int DEFAULT_RATE = 50;

  private static final double MB = 1024.0 * 1024.0;

  private final BenchSetup setup;
  private final int tasks;
  private final int rate;

  /**
   * @param tasks the mix's size, half of them no-ops; the drains and the no-ops' stream alone have
   *     as many no-ops as the mix
   * @param rate tasks per second of each stream: the no-ops', and the hostile tasks' beside it
   */
  HostileScenario(BenchSetup setup, int tasks, int rate) {
    this.setup = setup;
    this.tasks = tasks;
    this.rate = rate;
  }

  void run(Report report) throws IOException, InterruptedException {
    setup.ensureWorkers();
    for (String module : MODULES) {
      if (module.equals(NEVER_STARTS)) {
        setup.publishTestModule(module);
      } else {
        setup.uploadTestModule(module);
      }
    }
    int normal = tasks / 2;
    // Unmeasured first: the comparison is of a warm worker before and after, not of its JIT.
    drain("hostile: warm-up", DrainScenario.noops(normal));
    Row before = drain("hostile: no-ops drained, before", DrainScenario.noops(normal));
    report.print(before);
    Map<String, String> start = beat();
    Row alone = stream("hostile: no-ops at " + rate + "/s alone", mixed(normal, 0), 1);
    report.print(alone);
    Row mix =
        stream(
            "hostile: no-ops at " + rate + "/s beside hostile at " + rate + "/s",
            mixed(normal, tasks - normal),
            2);
    Map<String, String> end = beat();
    double kept = mix.perSecond().orElseThrow() / alone.perSecond().orElseThrow();
    report.print(
        mix.with("hostile_tasks", tasks - normal)
            .with("normal_vs_alone_pct", 100 * kept)
            .with("heap_after_gc_mb_before", SoakScenario.number(start, "heap_after_gc") / MB)
            .with("heap_after_gc_mb_after", SoakScenario.number(end, "heap_after_gc") / MB)
            .with("threads_before", SoakScenario.number(start, "threads"))
            .with("threads_after", SoakScenario.number(end, "threads")));
    Row after = drain("hostile: no-ops drained, after", DrainScenario.noops(normal));
    report.print(after);
    // What each kind costs alone: where the mix's time went.
    int each = Math.max(1, tasks / 20);
    for (String module : MODULES) {
      report.print(drain("hostile: " + module + " alone", hostile(module, each)));
    }
    double drained = after.perSecond().orElseThrow() / before.perSecond().orElseThrow();
    report.note(
        String.format(
            Locale.ROOT,
            "hostile: the worker's heap after GC %.1f MB before the mix, %.1f MB after; threads"
                + " %.0f, then %.0f; the no-ops' stream beside hostile tasks at %.0f%% of its"
                + " throughput alone (within 10%%: %s), p99 %.1f ms against %.1f ms alone; no-ops"
                + " drained after the mix at %.0f%% of before",
            SoakScenario.number(start, "heap_after_gc") / MB,
            SoakScenario.number(end, "heap_after_gc") / MB,
            SoakScenario.number(start, "threads"),
            SoakScenario.number(end, "threads"),
            100 * kept,
            kept >= 0.9 ? "met" : "missed",
            mix.p99Ms().orElseThrow(),
            alone.p99Ms().orElseThrow(),
            100 * drained));
  }

  /**
   * Submits {@code mix} one at a time, {@code streams} × the rate a second (each stream at the
   * rate), and times its no-ops: their throughput from the first submit to the last no-op's end,
   * and each one's submit to finish.
   */
  private Row stream(String name, List<Submission> mix, int streams) throws InterruptedException {
    EndedTasks ends = setup.ended("default");
    SteadySubmits submitted = SteadySubmits.submit(setup, mix, (double) streams * rate);
    ends.await(mix.size());
    TaskInspector inspector = new TaskInspector(setup.session.redis(), setup.session.keys());
    double[] all = submitted.toFinishMs(inspector, "default");
    double[] noops = new double[(int) mix.stream().filter(HostileScenario::isNoop).count()];
    double seconds = 0;
    for (int i = 0, n = 0; i < all.length; i++) {
      if (isNoop(mix.get(i))) {
        noops[n++] = all[i];
        double ended = submitted.secondsToSubmit(i) + all[i] / 1e3;
        seconds = Math.max(seconds, ended);
      }
    }
    Arrays.sort(noops);
    return Row.percentiles(name, setup, seconds, noops);
  }

  private static boolean isNoop(Submission task) {
    return task.taskName().equals(BenchSetup.NOOP);
  }

  /** Submits {@code batch} in the bench's batches and times it until every task has ended. */
  private Row drain(String name, List<Submission> batch) throws InterruptedException {
    EndedTasks ended = setup.ended("default");
    long start = System.nanoTime();
    for (int from = 0; from < batch.size(); from += FlowScenario.BATCH) {
      setup.submitter.submitAll(
          batch.subList(from, Math.min(batch.size(), from + FlowScenario.BATCH)));
    }
    ended.await(batch.size());
    double seconds = (System.nanoTime() - start) / 1e9;
    return Row.throughput(name, batch.size(), setup, true, seconds, OptionalDouble.empty());
  }

  /**
   * No-ops and hostile tasks in turn, the hostile ones cycling through {@link #MODULES}; only
   * no-ops when {@code hostile} is 0.
   */
  private static List<Submission> mixed(int normal, int hostile) {
    List<Submission> mix = new ArrayList<>(normal + hostile);
    List<Submission> noops = DrainScenario.noops(normal);
    for (int i = 0; i < Math.max(normal, hostile); i++) {
      if (i < normal) {
        mix.add(noops.get(i));
      }
      if (i < hostile) {
        mix.add(hostile(MODULES.get(i % MODULES.size()), 1).get(0));
      }
    }
    return mix;
  }

  /** {@code n} tasks of the hostile {@code module}: no retries, the short timeout. */
  private static List<Submission> hostile(String module, int n) {
    List<Submission> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(Submission.builder(module, "{}").withMaxRetries(0).withTimeout(TIMEOUT).build());
    }
    return batch;
  }

  /** The first worker's heartbeat after a full collection, once the tasks before are over. */
  private Map<String, String> beat() throws IOException, InterruptedException {
    setup.collectFirstWorkersGarbage();
    Thread.sleep(2 * BenchSetup.HEARTBEAT.toMillis());
    return setup.firstWorkersBeat();
  }
}
