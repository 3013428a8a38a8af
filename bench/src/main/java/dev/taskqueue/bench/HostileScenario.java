package dev.taskqueue.bench;

import dev.taskqueue.submission.Submission;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The {@code hostile} scenario: normal tasks interleaved with hostile ones on the same worker. It
 * drains no-op tasks alone (after as many unmeasured, to warm the worker up), then a mix of as many
 * no-ops and hostile tasks (traps, endless recursion, bad pointers, a non-zero exit, an oversized
 * result, a denied WASI call, memory grown to the cap, a newline flood, and loops and sleeps cut by
 * a short timeout), then no-ops alone again; with the first worker's heap after a full GC and its
 * threads before and after the mix. A hostile task must hurt only itself: heap and threads flat,
 * and the no-ops after the mix as fast as before it.
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

  /** The hostile tasks' timeout: the loops and the sleep run until it. */
  static final Duration TIMEOUT = Duration.ofMillis(100);

  private static final double MB = 1024.0 * 1024.0;

  private final BenchSetup setup;
  private final int tasks;

  /**
   * @param tasks the mix's size; each normal-only run has half as many
   */
  HostileScenario(BenchSetup setup, int tasks) {
    this.setup = setup;
    this.tasks = tasks;
  }

  void run(Report report) throws IOException, InterruptedException {
    setup.ensureWorkers();
    for (String module : MODULES) {
      setup.uploadTestModule(module);
    }
    int normal = tasks / 2;
    // Unmeasured first: the comparison is of a warm worker before and after, not of its JIT.
    drain("hostile: warm-up", DrainScenario.noops(normal));
    Row before = drain("hostile: no-ops alone, before", DrainScenario.noops(normal));
    report.print(before);
    Map<String, String> start = beat();
    Row mix = drain("hostile: no-ops and hostile mixed", mixed(normal, tasks - normal));
    Map<String, String> end = beat();
    report.print(
        mix.with("normal_per_s", normal / mix.seconds())
            .with("heap_after_gc_mb_before", SoakScenario.number(start, "heap_after_gc") / MB)
            .with("heap_after_gc_mb_after", SoakScenario.number(end, "heap_after_gc") / MB)
            .with("threads_before", SoakScenario.number(start, "threads"))
            .with("threads_after", SoakScenario.number(end, "threads")));
    Row after = drain("hostile: no-ops alone, after", DrainScenario.noops(normal));
    report.print(after);
    // What each kind costs alone: where the mix's time went.
    int each = Math.max(1, tasks / 20);
    for (String module : MODULES) {
      report.print(drain("hostile: " + module + " alone", hostile(module, each)));
    }
    double ratio = after.perSecond().orElseThrow() / before.perSecond().orElseThrow();
    report.note(
        String.format(
            Locale.ROOT,
            "hostile: the worker's heap after GC %.1f MB before the mix, %.1f MB after; threads"
                + " %.0f, then %.0f; no-ops after the mix at %.0f%% of before (within 10%%: %s)",
            SoakScenario.number(start, "heap_after_gc") / MB,
            SoakScenario.number(end, "heap_after_gc") / MB,
            SoakScenario.number(start, "threads"),
            SoakScenario.number(end, "threads"),
            100 * ratio,
            ratio >= 0.9 ? "met" : "missed"));
  }

  /** Submits {@code batch} in the bench's batches and times it until every task has ended. */
  private Row drain(String name, List<Submission> batch) throws InterruptedException {
    long endedBefore = setup.ended("default");
    long start = System.nanoTime();
    for (int from = 0; from < batch.size(); from += FlowScenario.BATCH) {
      setup.submitter.submitAll(
          batch.subList(from, Math.min(batch.size(), from + FlowScenario.BATCH)));
    }
    setup.awaitEnded("default", endedBefore + batch.size());
    double seconds = (System.nanoTime() - start) / 1e9;
    return Row.throughput(name, batch.size(), setup, true, seconds, OptionalDouble.empty());
  }

  /** No-ops and hostile tasks in turn, the hostile ones cycling through {@link #MODULES}. */
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
