package dev.taskqueue.sandbox;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wabt.Wat2WasmModule;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the heap Chicory needs to parse ({@code Parser.parse}, validation included, as {@link
 * ModuleValidator#parse}) and compile ({@code MachineFactoryCompiler}) modules of several shapes,
 * and prints a table: the numbers behind the limits in docs/abi.md. Off by default, and slow (a few
 * minutes); run it alone:
 *
 * <pre>
 * mvn -B -pl sandbox -am test -Dtest=ModuleHeapCost -Dtaskqueue.measure=true
 * </pre>
 *
 * <p>{@code heap} is the decisive column: the smallest {@code -Xmx} (to 4 MiB) with which a fresh
 * JVM running nothing else can generate the module and then parse and compile it, found by
 * bisection over child JVMs, less what the same JVM needs for the smallest task module. {@code
 * allocated} is every byte the loading thread allocated ({@code
 * ThreadMXBean.getThreadAllocatedBytes}), {@code kept} what the parsed and compiled module keeps
 * reachable (what a cached module costs), {@code ms} the time to parse and compile.
 */
@EnabledIfSystemProperty(named = "taskqueue.measure", matches = "true")
class ModuleHeapCost {
  private static final int KB = 1 << 10;
  private static final int MB = 1 << 20;
  private static final int MAX_HEAP_MB = 2048;

  /** The shapes measured, by name; each stays within the default limits unless it says "over". */
  private static final Map<String, Supplier<byte[]>> CASES = cases();

  private static Map<String, Supplier<byte[]>> cases() {
    Map<String, Supplier<byte[]>> cases = new LinkedHashMap<>();
    cases.put("the smallest task module", () -> GeneratedModule.task().build());
    cases.put("real: greeter sample (C)", () -> Guests.sample("greeter.wasm"));
    cases.put("real: wabt's wat2wasm (C++)", () -> resource("/wat2wasm"));
    cases.put(
        "50,000 functions of 75 B", () -> GeneratedModule.task().withFunctions(49_997, 66).build());
    cases.put(
        "50,000 functions of 3 B",
        () -> GeneratedModule.task().withNopFunctions(49_997, 0).build());
    cases.put(
        "64 functions of 64 KiB arithmetic",
        () -> GeneratedModule.task().withLargeFunctions(64, 64 * KB - 16).build());
    cases.put(
        "8 functions of 512 KiB arithmetic",
        () -> GeneratedModule.task().withLargeFunctions(8, 512 * KB - 16).build());
    cases.put(
        "8 functions of 512 KiB of nop",
        () -> GeneratedModule.task().withNopFunctions(8, 512 * KB - 16).build());
    cases.put(
        "50 functions x 10,000 locals",
        () -> GeneratedModule.task().withLocals(50, 10_000).build());
    cases.put("10,000 globals", () -> GeneratedModule.task().withGlobals(10_000).build());
    cases.put(
        "5,000 types x 10 parameters", () -> GeneratedModule.task().withTypes(4_997, 10).build());
    cases.put(
        "100,000 element entries", () -> GeneratedModule.task().withElements(100_000).build());
    cases.put("one data segment of 30 MiB", () -> GeneratedModule.task().withData(30 * MB).build());
    cases.put(
        "all limits at once (32 MiB)",
        () ->
            GeneratedModule.task()
                .withFunctions(49_900, 66)
                .withLocals(40, 10_000)
                .withGlobals(10_000)
                .withTypes(4_997, 10)
                .withElements(99_000)
                .withData(27 * MB)
                .build());
    cases.put(
        "over: 120,000 functions (9 MiB)",
        () -> GeneratedModule.task().withFunctions(120_000, 60).build());
    return cases;
  }

  @Test
  void printTable() throws Exception {
    String only = System.getProperty("taskqueue.measure.only", "");
    int floor = smallestHeap("the smallest task module", 4);
    System.out.printf(
        Locale.ROOT,
        "JVM floor: %d MiB (the smallest task module)%n%-38s %9s %9s %6s | %6s %6s | %9s %6s %6s%n",
        floor,
        "shape",
        "module B",
        "code B",
        "limits",
        "heap",
        "/code",
        "allocated",
        "kept",
        "ms");
    for (String name : CASES.keySet()) {
      if (name.contains(only) && !name.equals("the smallest task module")) {
        row(name, floor);
      }
    }
  }

  /** Measures one case; a method of its own so that nothing of it outlives it. */
  private static void row(String name, int floor) throws Exception {
    byte[] bytes = CASES.get(name).get();
    ModuleShape shape = ModuleShape.of(bytes);
    boolean within = ModuleLimits.DEFAULTS.exceeded(shape).isEmpty();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    System.gc();
    long before = used();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    Function<Instance, Machine> machines = load(bytes);
    long millis = (System.nanoTime() - start) / 1_000_000;
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    long kept;
    try {
      System.gc();
      kept = used() - before;
    } finally {
      Reference.reachabilityFence(machines);
    }
    int heap = smallestHeap(name, floor) - floor;
    // Per byte of code only where code is what the module is made of.
    String perCodeByte =
        shape.codeBytes() < 64 * KB
            ? "-"
            : String.format(Locale.ROOT, "%.0f", heap * (double) MB / shape.codeBytes());
    System.out.printf(
        Locale.ROOT,
        "%-38s %9d %9d %6s | %6d %6s | %9.0f %6.0f %6d%n",
        name,
        bytes.length,
        shape.codeBytes(),
        within ? "within" : "OVER",
        heap,
        perCodeByte,
        allocated / (double) MB,
        Math.max(0, kept) / (double) MB,
        millis);
  }

  private static Function<Instance, Machine> load(byte[] bytes) {
    WasmModule module = ModuleValidator.parse(bytes);
    return MachineFactoryCompiler.builder(module)
        .withInterpreterFallback(InterpreterFallback.SILENT)
        .compile();
  }

  /** The smallest -Xmx, in MiB, with which a child JVM loads the case; bisects from {@code lo}. */
  private static int smallestHeap(String name, int lo) throws Exception {
    int low = lo;
    int high = MAX_HEAP_MB;
    if (!loadsIn(name, high)) {
      return Integer.MAX_VALUE / 2;
    }
    while (high - low > 4) {
      int mid = (low + high) / 2;
      if (loadsIn(name, mid)) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return high;
  }

  private static boolean loadsIn(String name, int heapMb) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx" + heapMb + "m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ModuleHeapCost.class.getName(),
                    name))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return child.waitFor() == 0;
  }

  /** In a child JVM: generates the case's module, then parses and compiles it once. */
  public static void main(String[] args) {
    byte[] bytes = CASES.get(args[0]).get();
    System.gc();
    System.out.println("loaded " + load(bytes));
  }

  private static long used() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static byte[] resource(String path) {
    try (InputStream in = Wat2WasmModule.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
