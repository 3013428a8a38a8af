package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.io.OutputStream;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Runs one task through the task ABI in a fresh instance of its module: {@code _initialize} (or
 * {@code _start}), {@code alloc(len)}, payload copied in, {@code execute(ptr, len)}, result read
 * from {@code (ptr << 32) | len}. The guest sees WASI with only stdout, stderr, an empty stdin,
 * clocks, randomness and the environment its module was granted; its memory and tables are capped.
 *
 * <p>The instance, its globals and tables are new for every task, and its memory is new or wiped
 * ({@link LentMemory}); what does not belong to a guest is reused: the module's compiled code
 * ({@link CompiledModule}), what its instances start from ({@link
 * com.dylibso.chicory.runtime.InstanceTemplate}) and the WASI host functions, one set per thread
 * ({@link TaskWasi}).
 *
 * <p>It returns an outcome for every end it can judge alone: a result, an exit, a broken ABI, a cap
 * hit. What else the guest or Chicory throws (a trap, an interrupt, an error of the JVM) it lets
 * through to {@link Sandbox}, which knows whether it interrupted the guest and why; a throw out of
 * one of the guest's exports goes as a {@link GuestCallFailed} that names the export.
 */
final class TaskInstance {
  private final Supplier<? extends Random> random;
  private final LimitHits hits;
  private final ThreadLocal<TaskWasi> wasis = ThreadLocal.withInitial(TaskWasi::new);
  private final ThreadLocal<LentMemory> memories = ThreadLocal.withInitial(LentMemory::new);

  TaskInstance(Supplier<? extends Random> random, LimitHits hits) {
    this.random = random;
    this.hits = hits;
  }

  /**
   * Runs a task: its module's initializer, then {@code alloc} and {@code execute} on {@code
   * payload}; or, when {@code payload} is null, the initializer alone, succeeding with an empty
   * result when it returns ({@link Sandbox#initialize}).
   */
  Outcome run(
      CompiledModule compiled,
      byte[] payload,
      OutputStream stdout,
      OutputStream stderr,
      Budget budget,
      SandboxLimits limits,
      Map<String, String> env) {
    TaskModule module = compiled.module();
    if (module.initialPages() > limits.maxMemoryPages()) {
      hits.hit(LimitHits.Limit.MEMORY);
      return new Failed(
          Failure.LIMIT,
          "the module starts with "
              + module.initialPages()
              + " memory pages but at most "
              + limits.maxMemoryPages()
              + " are allowed ("
              + limits.memoryPagesSource()
              + ")",
          budget.elapsed());
    }
    long tableElements = InstanceTables.initialElements(module.module());
    if (tableElements > limits.maxTableElements()) {
      hits.hit(LimitHits.Limit.TABLE);
      return new Failed(
          Failure.LIMIT,
          "the module starts with "
              + tableElements
              + " table elements but at most "
              + limits.maxTableElements()
              + " are allowed",
          budget.elapsed());
    }
    TaskWasi wasi = wasis.get();
    LentMemory memory = memories.get();
    ImportValues imports = wasi.lend(compiled, stdout, stderr, random.get(), env);
    try {
      Instance instance =
          compiled
              .template()
              .instantiate(
                  imports,
                  // A task module defines exactly one memory (ModuleValidator).
                  new Memory[] {memory.lend(memoryLimits(module, limits))},
                  compiled.machines(),
                  new InstanceTables(limits.maxTableElements() - tableElements));
      try {
        initialize(instance, module.initializer());
      } catch (WasiExitException e) {
        return new Failed(
            Failure.EXIT,
            "exited with code " + e.exitCode() + " in " + module.initializer() + ", before execute",
            budget.elapsed());
      }
      return payload == null
          ? new Outcome.Succeeded(new byte[0], budget.elapsed())
          : callExecute(instance, payload, budget, limits);
    } catch (WasiExitException e) {
      return new Failed(
          Failure.EXIT,
          // A non-zero code is a failure on its own; exit(0) looks like success but is not.
          e.exitCode() == 0
              ? "exited with code 0 instead of returning a result"
              : "exited with code " + e.exitCode(),
          budget.elapsed());
    } finally {
      if (memory.giveBack()) {
        hits.hit(LimitHits.Limit.MEMORY);
      }
      if (!wasi.giveBack()) {
        wasis.remove(); // the next task on this thread gets a pristine one
      }
    }
  }

  /** A command-style {@code _start} may end with exit(0): that is a normal end of set-up. */
  private static void initialize(Instance instance, String initializer) {
    try {
      call(instance, initializer);
    } catch (WasiExitException e) {
      if (e.exitCode() != 0) {
        throw e;
      }
    }
  }

  /** Calls the guest's export {@code name}; what it throws goes as a {@link GuestCallFailed}. */
  private static long[] call(Instance instance, String name, long... args) {
    try {
      return instance.export(name).apply(args);
    } catch (RuntimeException | Error e) {
      throw GuestCallFailed.in(name, e);
    }
  }

  private Outcome callExecute(
      Instance instance, byte[] payload, Budget budget, SandboxLimits limits) {
    Memory memory = instance.memory();
    long ptr = call(instance, "alloc", payload.length)[0] & 0xffffffffL;
    if (!fits(memory, ptr, payload.length)) {
      return new Failed(
          Failure.ABI,
          "alloc(" + payload.length + ") returned " + ptr + ", outside the module's memory",
          budget.elapsed());
    }
    memory.write((int) ptr, payload);
    long packed = call(instance, "execute", ptr, payload.length)[0];
    long resultPtr = packed >>> 32;
    long resultLen = packed & 0xffffffffL;
    if (resultLen > limits.maxResultBytes()) {
      hits.hit(LimitHits.Limit.RESULT);
      return new Failed(
          Failure.LIMIT,
          "the result is "
              + resultLen
              + " bytes but at most "
              + limits.maxResultBytes()
              + " are allowed ("
              + limits.resultBytesSource()
              + ")",
          budget.elapsed());
    }
    if (!fits(memory, resultPtr, resultLen)) {
      return new Failed(
          Failure.ABI,
          "execute returned a result at "
              + resultPtr
              + " of "
              + resultLen
              + " bytes, outside the module's memory",
          budget.elapsed());
    }
    byte[] result = memory.readBytes((int) resultPtr, (int) resultLen);
    return new Outcome.Succeeded(result, budget.elapsed());
  }

  private static MemoryLimits memoryLimits(TaskModule module, SandboxLimits limits) {
    int cap =
        module
            .maximumPages()
            .map(m -> Math.min(m, limits.maxMemoryPages()))
            .orElse(limits.maxMemoryPages());
    return new MemoryLimits(module.initialPages(), cap);
  }

  private static boolean fits(Memory memory, long ptr, long len) {
    long size = (long) memory.pages() * 65536L;
    return ptr >= 0 && len >= 0 && ptr + len <= size;
  }
}
