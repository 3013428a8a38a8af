package dev.taskqueue.bench;

import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.sandbox.Budget;
import dev.taskqueue.sandbox.CompiledModule;
import dev.taskqueue.sandbox.ModuleValidator;
import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Sandbox;
import dev.taskqueue.sandbox.SandboxLimits;
import dev.taskqueue.sandbox.TaskModule;
import dev.taskqueue.sandbox.WatAssembler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The {@code sandbox} scenario, in this process, with no Redis and no worker: what one task costs
 * from start to result (a fresh instance, its initializer, {@code alloc}, {@code execute}, the
 * result read back) through {@link Sandbox#run} on one thread, as a worker's slot runs it with the
 * worker's default limits. The no-op module (returns its payload) shows the fixed cost; the
 * checksum sample (chained SHA-256 of a buffer) shows how fast guest code runs, compiled and in
 * Chicory's interpreter, beside the same computation in plain Java ({@link JavaChecksum}), the two
 * run in turns. Every variant is warmed up first, except the row that shows a compiled module's
 * first task; the guests' stdout and stderr are thrown away.
 */
final class SandboxScenario {
  static final String NAME = "sandbox";

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final Path home;
  private final int noopTasks;
  private final int checksumTasks;
  private final int checksumBytes;

  /**
   * @param noopTasks no-op tasks measured per variant (as many again warm up)
   * @param checksumTasks checksum tasks measured compiled and in Java; a tenth of them (at least
   *     one) interpreted, which is about a hundred times slower
   * @param checksumBytes the checksum's buffer: 1 MiB is the sample's default payload
   */
  SandboxScenario(Path home, int noopTasks, int checksumTasks, int checksumBytes) {
    this.home = home;
    this.noopTasks = noopTasks;
    this.checksumTasks = checksumTasks;
    this.checksumBytes = checksumBytes;
  }

  /** Prints its rows, and how they compare with the targets: a no-op under 50 µs, at most 3×. */
  void report(Report report) throws IOException {
    List<Row> rows = run();
    rows.forEach(report::print);
    double noop = p50(rows, "no-op compiled");
    double ratio = p50(rows, "checksum compiled") / p50(rows, "checksum java");
    report.note(
        String.format(
            Locale.ROOT,
            "sandbox targets: a no-op task %.1f µs at p50 (under 50 µs: %s); the checksum"
                + " compiled %.1f× plain Java at p50 (at most 3×: %s)",
            noop * 1000,
            noop < 0.050 ? "met" : "missed",
            ratio,
            ratio <= 3 ? "met" : "missed"));
  }

  List<Row> run() throws IOException {
    Path echo = home.resolve(BenchSetup.NOOP_WAT);
    byte[] noop = WatAssembler.assemble(Files.readString(echo), echo.getFileName().toString());
    byte[] checksum = resource("/sample-tasks/checksum.wasm");
    String payload = "{\"bytes\":" + checksumBytes + ",\"rounds\":1}";
    String sum = JavaChecksum.run(checksumBytes, 1);
    CompiledModule noopCompiled = module(noop, CompiledModule::compile);
    CompiledModule noopInterpreted = module(noop, CompiledModule::interpreted);
    CompiledModule sumCompiled = module(checksum, CompiledModule::compile);
    CompiledModule sumInterpreted = module(checksum, CompiledModule::interpreted);
    List<Row> rows = new ArrayList<>();
    try (Sandbox sandbox = new Sandbox(workerLimits())) {
      Supplier<String> noopTask = () -> run(sandbox, noopCompiled, "{}");
      rows.add(measure("no-op compiled", noopTasks, noopTasks, "{}", noopTask));
      noopTask = () -> run(sandbox, noopInterpreted, "{}");
      rows.add(measure("no-op interpreted", noopTasks, noopTasks, "{}", noopTask));
      Supplier<String> java = () -> JavaChecksum.run(checksumBytes, 1);
      Supplier<String> sumTask = () -> run(sandbox, sumCompiled, payload);
      // Its first run: the code Chicory generated is new to the JIT.
      Row first = measure("checksum first task", 0, 1, sum, sumTask);
      List<Row> side = side("checksum java", java, "checksum compiled", sumTask, sum);
      rows.addAll(List.of(side.get(0), first, side.get(1)));
      sumTask = () -> run(sandbox, sumInterpreted, payload);
      int interpreted = Math.max(1, checksumTasks / 10);
      rows.add(measure("checksum interpreted", 1, interpreted, sum, sumTask));
    }
    return rows;
  }

  /** Runs {@code task} {@code warmUp} times, then {@code tasks} times timed, each checked. */
  private static Row measure(
      String variant, int warmUp, int tasks, String expected, Supplier<String> task) {
    for (int i = 0; i < warmUp; i++) {
      check(variant, expected, task.get());
    }
    double[] millis = new double[tasks];
    long start = System.nanoTime();
    for (int i = 0; i < tasks; i++) {
      millis[i] = time(variant, expected, task);
    }
    return row(variant, millis, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Two variants of one computation, side by side: warmed up, then run in turns (which goes first
   * alternates), so that both see the same machine. On a shared machine the load changes within
   * seconds, and two medians taken one after the other compared the load as much as the code.
   */
  private List<Row> side(
      String a, Supplier<String> taskA, String b, Supplier<String> taskB, String expected) {
    for (int i = 0; i < checksumTasks; i++) {
      check(a, expected, taskA.get());
      check(b, expected, taskB.get());
    }
    double[] millisA = new double[checksumTasks];
    double[] millisB = new double[checksumTasks];
    double secondsA = 0;
    double secondsB = 0;
    for (int i = 0; i < checksumTasks; i++) {
      if (i % 2 == 0) {
        millisA[i] = time(a, expected, taskA);
        millisB[i] = time(b, expected, taskB);
      } else {
        millisB[i] = time(b, expected, taskB);
        millisA[i] = time(a, expected, taskA);
      }
      secondsA += millisA[i] / 1000;
      secondsB += millisB[i] / 1000;
    }
    return List.of(row(a, millisA, secondsA), row(b, millisB, secondsB));
  }

  /** One run of {@code task}, checked, in milliseconds. */
  private static double time(String variant, String expected, Supplier<String> task) {
    long began = System.nanoTime();
    String result = task.get();
    double millis = (System.nanoTime() - began) / 1e6;
    check(variant, expected, result);
    return millis;
  }

  /** {@code millis} (sorted here) as a row of their percentiles. */
  private static Row row(String variant, double[] millis, double seconds) {
    int tasks = millis.length;
    Arrays.sort(millis);
    return new Row(
        NAME + " " + variant,
        tasks,
        0,
        1,
        false,
        seconds,
        OptionalDouble.of(tasks / seconds),
        OptionalDouble.of(Row.percentile(millis, 50)),
        OptionalDouble.of(Row.percentile(millis, 99)),
        OptionalDouble.of(millis[tasks - 1]),
        OptionalDouble.empty(),
        Map.of());
  }

  private static double p50(List<Row> rows, String variant) {
    return rows.stream()
        .filter(row -> row.scenario().equals(NAME + " " + variant))
        .findFirst()
        .orElseThrow()
        .p50Ms()
        .orElseThrow();
  }

  private static String run(Sandbox sandbox, CompiledModule module, String payload) {
    Outcome outcome =
        sandbox.run(
            CompletableFuture.completedFuture(module),
            payload.getBytes(StandardCharsets.UTF_8),
            Budget.startingNow(TIMEOUT),
            OutputStream.nullOutputStream(),
            OutputStream.nullOutputStream());
    if (outcome instanceof Outcome.Succeeded succeeded) {
      return new String(succeeded.result(), StandardCharsets.UTF_8);
    }
    throw new TaskQueueException(ExitCode.FAILURE, "a sandbox task failed: " + outcome);
  }

  private static void check(String variant, String expected, String actual) {
    if (!expected.equals(actual)) {
      throw new TaskQueueException(
          ExitCode.FAILURE,
          "sandbox " + variant + " returned " + actual + " instead of " + expected);
    }
  }

  private static CompiledModule module(
      byte[] bytes, BiFunction<String, TaskModule, CompiledModule> machines) {
    String digest = ModuleDigest.of(bytes);
    return machines.apply(digest, ModuleValidator.validate(bytes, digest));
  }

  /** The limits a worker has unless told otherwise. */
  private static SandboxLimits workerLimits() {
    return new SandboxLimits(
        defaultOf(Settings.MAX_MEMORY_PAGES), defaultOf(Settings.MAX_RESULT_BYTES));
  }

  private static <T> T defaultOf(Setting<T> setting) {
    return setting.parse(setting.defaultValue(), "default");
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = SandboxScenario.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new TaskQueueException(
            ExitCode.FAILURE, path + " is not in the bench jar; build sample-tasks");
      }
      return in.readAllBytes();
    }
  }
}
