package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one task in a fresh instance of its module through the task ABI: {@code _initialize} (or
 * {@code _start}), {@code alloc(len)}, payload copied in, {@code execute(ptr, len)}, result read
 * from {@code (ptr << 32) | len}. The guest sees WASI with only stdout, stderr, an empty stdin,
 * clocks and randomness; its memory and tables are capped, and when its time is up the thread
 * running it is interrupted, which Chicory checks at every loop and call.
 *
 * <p>Every way a guest can end becomes an {@link Outcome}; nothing a guest does throws out of
 * {@link #run}.
 */
public final class Sandbox implements AutoCloseable {
  /**
   * Guest randomness: one {@link SecureRandom} per slot thread, so that no guest can learn from its
   * own bytes what another guest gets, slots never wait on each other's generator, and, unlike
   * {@code SecureRandom.getInstanceStrong()}, it never blocks for entropy.
   */
  private static final ThreadLocal<SecureRandom> SECURE_RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  private final SandboxLimits limits;
  private final Supplier<? extends Random> random;
  private final ScheduledExecutorService watchdog;
  private final Set<Execution> running = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  public Sandbox(SandboxLimits limits) {
    this(limits, SECURE_RANDOM::get);
  }

  /** A sandbox whose guests read their {@code random_get} bytes from {@code random}. */
  Sandbox(SandboxLimits limits, Supplier<? extends Random> random) {
    this.limits = limits;
    this.random = random;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sandbox-watchdog");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs {@code module} on {@code payload} in the calling thread.
   *
   * @param stdout receives what the guest writes to file descriptor 1
   * @param stderr receives what the guest writes to file descriptor 2
   */
  public Outcome run(
      CompiledModule module,
      byte[] payload,
      Duration timeout,
      OutputStream stdout,
      OutputStream stderr) {
    long start = System.nanoTime();
    if (stopping) {
      return new Failed(Failure.INTERRUPTED, "not started: the worker is stopping", elapsed(start));
    }
    Execution execution = new Execution(Thread.currentThread());
    running.add(execution);
    if (stopping) {
      // stopAll() ran between the check above and add(): it may not have seen this run.
      execution.interrupt(Execution.State.STOPPED);
    }
    ScheduledFuture<?> alarm =
        watchdog.schedule(
            () -> execution.interrupt(Execution.State.TIMED_OUT),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return execute(module, payload, stdout, stderr, start);
    } catch (ChicoryInterruptedException e) {
      return execution.state() == Execution.State.TIMED_OUT
          ? new Failed(
              Failure.TIMEOUT,
              "timed out after " + ValueTypes.format(timeout) + " and was interrupted",
              elapsed(start))
          : new Failed(Failure.INTERRUPTED, "interrupted: the worker is stopping", elapsed(start));
    } finally {
      alarm.cancel(false);
      running.remove(execution);
      execution.finish();
    }
  }

  /**
   * Interrupts every running guest, and every guest started from now on, because the worker is
   * stopping: their runs end {@link Failure#INTERRUPTED}.
   */
  public void stopAll() {
    stopping = true;
    for (Execution execution : running) {
      execution.interrupt(Execution.State.STOPPED);
    }
  }

  /** The randomness the next guest on this thread gets; for tests. */
  Random guestRandom() {
    return random.get();
  }

  private Outcome execute(
      CompiledModule compiled,
      byte[] payload,
      OutputStream stdout,
      OutputStream stderr,
      long start) {
    TaskModule module = compiled.module();
    if (module.initialPages() > limits.maxMemoryPages()) {
      return new Failed(
          Failure.LIMIT,
          "the module starts with "
              + module.initialPages()
              + " memory pages but at most "
              + limits.maxMemoryPages()
              + " are allowed (TASK_QUEUE_MAX_MEMORY_PAGES)",
          elapsed(start));
    }
    long tableElements = InstanceTables.initialElements(module.module());
    if (tableElements > limits.maxTableElements()) {
      return new Failed(
          Failure.LIMIT,
          "the module starts with "
              + tableElements
              + " table elements but at most "
              + limits.maxTableElements()
              + " are allowed",
          elapsed(start));
    }
    WasiOptions options =
        WasiOptions.builder()
            .withStdout(stdout)
            .withStderr(stderr)
            .withStdin(new ByteArrayInputStream(new byte[0]))
            .withArguments(List.of("task"))
            .withRandom(random.get())
            .withThrowOnExit0(true)
            .build();
    try (WasiPreview1 wasi =
        WasiPreview1.builder().withLogger(SilentLogger.INSTANCE).withOptions(options).build()) {
      Instance instance =
          Instance.builder(module.module())
              .withMachineFactory(compiled.machines())
              .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
              .withMemoryLimits(memoryLimits(module))
              .withTableFactory(new InstanceTables(limits.maxTableElements() - tableElements))
              .withStart(false)
              .build();
      initialize(instance, module.initializer());
      return callExecute(instance, payload, start);
    } catch (WasiExitException e) {
      return new Failed(
          Failure.EXIT,
          "exited with code " + e.exitCode() + " instead of returning a result",
          elapsed(start));
    } catch (ChicoryInterruptedException e) {
      throw e;
    } catch (ChicoryException e) {
      return new Failed(Failure.TRAP, "trapped: " + message(e), elapsed(start));
    } catch (StackOverflowError e) {
      return new Failed(Failure.TRAP, "trapped: call stack exhausted", elapsed(start));
    }
  }

  /** A command-style {@code _start} may end with exit(0): that is a normal end of set-up. */
  private static void initialize(Instance instance, String initializer) {
    try {
      instance.export(initializer).apply();
    } catch (WasiExitException e) {
      if (e.exitCode() != 0) {
        throw e;
      }
    }
  }

  private Outcome callExecute(Instance instance, byte[] payload, long start) {
    Memory memory = instance.memory();
    ExportFunction alloc = instance.export("alloc");
    long ptr = alloc.apply(payload.length)[0] & 0xffffffffL;
    if (!fits(memory, ptr, payload.length)) {
      return new Failed(
          Failure.ABI,
          "alloc(" + payload.length + ") returned " + ptr + ", outside the module's memory",
          elapsed(start));
    }
    memory.write((int) ptr, payload);
    long packed = instance.export("execute").apply(ptr, payload.length)[0];
    long resultPtr = packed >>> 32;
    long resultLen = packed & 0xffffffffL;
    if (resultLen > limits.maxResultBytes()) {
      return new Failed(
          Failure.LIMIT,
          "the result is "
              + resultLen
              + " bytes but at most "
              + limits.maxResultBytes()
              + " are allowed (TASK_QUEUE_MAX_RESULT_BYTES)",
          elapsed(start));
    }
    if (!fits(memory, resultPtr, resultLen)) {
      return new Failed(
          Failure.ABI,
          "execute returned a result at "
              + resultPtr
              + " of "
              + resultLen
              + " bytes, outside the module's memory",
          elapsed(start));
    }
    byte[] result = memory.readBytes((int) resultPtr, (int) resultLen);
    return new Outcome.Succeeded(result, elapsed(start));
  }

  private MemoryLimits memoryLimits(TaskModule module) {
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

  private static String message(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
