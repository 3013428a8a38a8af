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
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one task, within its {@link Budget}, in a fresh instance of its module through the task ABI:
 * {@code _initialize} (or {@code _start}), {@code alloc(len)}, payload copied in, {@code
 * execute(ptr, len)}, result read from {@code (ptr << 32) | len}. The guest sees WASI with only
 * stdout, stderr, an empty stdin, clocks and randomness; its memory and tables are capped. Waiting
 * for the module to load counts against the budget, and when it is spent the thread waiting or
 * running the guest is interrupted, which Chicory checks at every loop and call.
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
   * Waits for {@code module} within the budget, then runs the task on {@code payload} in the
   * calling thread. Every end is an outcome, its elapsed time counted from the budget's start.
   *
   * @param module the compiled module, perhaps still loading (see {@link ModuleCache#load})
   * @param stdout receives what the guest writes to file descriptor 1
   * @param stderr receives what the guest writes to file descriptor 2
   */
  public Outcome run(
      CompletableFuture<CompiledModule> module,
      byte[] payload,
      Budget budget,
      OutputStream stdout,
      OutputStream stderr) {
    if (stopping) {
      return new Failed(
          Failure.INTERRUPTED, "not started: the worker is stopping", budget.elapsed());
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
            budget.remaining().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      CompiledModule compiled;
      try {
        compiled = module.get(budget.remaining().toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return interrupted(execution, budget, true);
      } catch (TimeoutException e) {
        return timedOut(budget, true);
      } catch (CancellationException e) {
        // Only a stopping worker cancels a module it waits for.
        return stopped(budget);
      } catch (ExecutionException e) {
        Throwable cause = unwrap(e.getCause());
        return cause instanceof CancellationException
            ? stopped(budget)
            : new Failed(Failure.MODULE, reason(cause), budget.elapsed());
      }
      return execute(compiled, payload, stdout, stderr, budget);
    } catch (ChicoryInterruptedException e) {
      return interrupted(execution, budget, false);
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

  /** The outcome of an interrupt, by who sent it: the watchdog, the worker, or someone else. */
  private static Failed interrupted(Execution execution, Budget budget, boolean loading) {
    Execution.State state = execution.state();
    if (state == Execution.State.TIMED_OUT) {
      return timedOut(budget, loading);
    }
    if (state == Execution.State.RUNNING) {
      // Someone else interrupted the thread: it ends the run, and is kept for them.
      Thread.currentThread().interrupt();
    }
    return stopped(budget);
  }

  private static Failed timedOut(Budget budget, boolean loading) {
    String after = "timed out after " + ValueTypes.format(budget.timeout());
    return new Failed(
        Failure.TIMEOUT,
        loading
            ? after + " while its module was still loading (loading goes on for the next attempt)"
            : after + " and was interrupted",
        budget.elapsed());
  }

  private static Failed stopped(Budget budget) {
    return new Failed(Failure.INTERRUPTED, "interrupted: the worker is stopping", budget.elapsed());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** A load failure in one line: the loader's or validator's message, else what was thrown. */
  private static String reason(Throwable e) {
    if (e instanceof RuntimeException && e.getMessage() != null && !e.getMessage().isBlank()) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + message(e);
  }

  private Outcome execute(
      CompiledModule compiled,
      byte[] payload,
      OutputStream stdout,
      OutputStream stderr,
      Budget budget) {
    TaskModule module = compiled.module();
    if (module.initialPages() > limits.maxMemoryPages()) {
      return new Failed(
          Failure.LIMIT,
          "the module starts with "
              + module.initialPages()
              + " memory pages but at most "
              + limits.maxMemoryPages()
              + " are allowed (TASK_QUEUE_MAX_MEMORY_PAGES)",
          budget.elapsed());
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
          budget.elapsed());
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
      return callExecute(instance, payload, budget);
    } catch (WasiExitException e) {
      return new Failed(
          Failure.EXIT,
          "exited with code " + e.exitCode() + " instead of returning a result",
          budget.elapsed());
    } catch (ChicoryInterruptedException e) {
      throw e;
    } catch (ChicoryException e) {
      return new Failed(Failure.TRAP, "trapped: " + message(e), budget.elapsed());
    } catch (StackOverflowError e) {
      return new Failed(Failure.TRAP, "trapped: call stack exhausted", budget.elapsed());
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

  private Outcome callExecute(Instance instance, byte[] payload, Budget budget) {
    Memory memory = instance.memory();
    ExportFunction alloc = instance.export("alloc");
    long ptr = alloc.apply(payload.length)[0] & 0xffffffffL;
    if (!fits(memory, ptr, payload.length)) {
      return new Failed(
          Failure.ABI,
          "alloc(" + payload.length + ") returned " + ptr + ", outside the module's memory",
          budget.elapsed());
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

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
