package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.wasm.ChicoryException;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs tasks, each in a fresh instance of its module ({@link TaskInstance}), within their {@link
 * Budget}: waiting for the module to load counts, and when the time is up the thread waiting or
 * running the guest is interrupted, which Chicory checks at every loop and call and WASI at every
 * sleep. {@link #stopAll} interrupts them the same way.
 *
 * <p>Every way a run can end becomes an {@link Outcome}; nothing is thrown out of {@link #run}, not
 * even an error of the JVM such as {@link OutOfMemoryError}. An interrupt the sandbox sent ends the
 * run as {@link Failure#TIMEOUT} or {@link Failure#INTERRUPTED}, whatever the guest was doing, and
 * never outlives the run.
 */
public final class Sandbox implements AutoCloseable {
  /**
   * Guest randomness: one {@link SecureRandom} per slot thread, so that no guest can learn from its
   * own bytes what another guest gets, slots never wait on each other's generator, and, unlike
   * {@code SecureRandom.getInstanceStrong()}, it never blocks for entropy.
   */
  private static final ThreadLocal<SecureRandom> SECURE_RANDOM =
      ThreadLocal.withInitial(SecureRandom::new);

  private final TaskInstance tasks;
  private final LimitHits hits = new LimitHits();
  private final SandboxLimits limits;
  private final Supplier<? extends Random> random;
  private final Watchdog watchdog = new Watchdog();
  private volatile boolean stopping;

  public Sandbox(SandboxLimits limits) {
    this(limits, SECURE_RANDOM::get);
  }

  /** A sandbox whose guests read their {@code random_get} bytes from {@code random}. */
  Sandbox(SandboxLimits limits, Supplier<? extends Random> random) {
    this.tasks = new TaskInstance(random, hits);
    this.limits = limits;
    this.random = random;
  }

  /** Runs in progress, timed by the watchdog; for tests. */
  int runsTimed() {
    return watchdog.running();
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
    return run(module, payload, budget, stdout, stderr, limits, Map.of());
  }

  /**
   * Like {@link #run(CompletableFuture, byte[], Budget, OutputStream, OutputStream)}, for a task
   * with limits of its own (at most this sandbox's) and the environment variables its module was
   * granted.
   */
  public Outcome run(
      CompletableFuture<CompiledModule> module,
      byte[] payload,
      Budget budget,
      OutputStream stdout,
      OutputStream stderr,
      SandboxLimits taskLimits,
      Map<String, String> env) {
    return timed(module, Objects.requireNonNull(payload), budget, stdout, stderr, taskLimits, env);
  }

  /** A run timed by the watchdog; a null {@code payload} runs the initializer alone. */
  private Outcome timed(
      CompletableFuture<CompiledModule> module,
      byte[] payload,
      Budget budget,
      OutputStream stdout,
      OutputStream stderr,
      SandboxLimits taskLimits,
      Map<String, String> env) {
    if (stopping) {
      return new Failed(
          Failure.INTERRUPTED, "not started: the worker is stopping", budget.elapsed());
    }
    Execution execution =
        new Execution(Thread.currentThread(), System.nanoTime() + budget.remaining().toNanos());
    Ended ended;
    if (!watchdog.time(execution)) {
      // close() came first: there is no watchdog to time this run.
      ended =
          new Ended(
              new Failed(
                  Failure.INTERRUPTED, "not started: the sandbox is closed", budget.elapsed()),
              false,
              false);
    } else {
      try {
        if (stopping) {
          // stopAll() ran between the check above and time(): it may not have seen this run.
          execution.interrupt(Execution.State.STOPPED);
        }
        ended = attempt(module, payload, budget, stdout, stderr, taskLimits, env);
      } finally {
        watchdog.forget(execution);
      }
    }
    Outcome outcome = settle(ended, execution.finish(), budget);
    if (outcome instanceof Failed failed && failed.failure() == Failure.TIMEOUT) {
      hits.hit(LimitHits.Limit.TIMEOUT);
    }
    return outcome;
  }

  /**
   * Runs only {@code module}'s initializer ({@code _initialize}, or {@code _start}), in a fresh
   * instance and in the calling thread, as every task of the module starts: a module whose start
   * fails (traps, exits with a non-zero code, runs past the budget) fails every task. Succeeds with
   * an empty result when the initializer returns.
   */
  public Outcome initialize(
      CompiledModule module,
      Budget budget,
      OutputStream stdout,
      OutputStream stderr,
      SandboxLimits limits,
      Map<String, String> env) {
    return timed(
        CompletableFuture.completedFuture(module), null, budget, stdout, stderr, limits, env);
  }

  /** How many times this sandbox's tasks ran into each limit. */
  public LimitHits limitHits() {
    return hits;
  }

  /**
   * Interrupts every running guest, and every guest started from now on, because the worker is
   * stopping: their runs end {@link Failure#INTERRUPTED}.
   */
  public void stopAll() {
    stopping = true;
    watchdog.interruptAll(Execution.State.STOPPED);
  }

  /** The randomness the next guest on this thread gets; for tests. */
  Random guestRandom() {
    return random.get();
  }

  /**
   * How a run ended, before the sandbox's own interrupts are accounted for.
   *
   * @param loading whether it ended while waiting for the module
   * @param byInterrupt whether an interrupt of the thread ended it
   */
  private record Ended(Outcome outcome, boolean loading, boolean byInterrupt) {}

  private Ended attempt(
      CompletableFuture<CompiledModule> module,
      byte[] payload,
      Budget budget,
      OutputStream stdout,
      OutputStream stderr,
      SandboxLimits taskLimits,
      Map<String, String> env) {
    CompiledModule compiled;
    try {
      compiled = module.get(budget.remaining().toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return new Ended(stopped(budget), true, true);
    } catch (TimeoutException e) {
      return new Ended(timedOut(budget, true), true, false);
    } catch (CancellationException e) {
      // Only a stopping worker cancels a module it waits for.
      return new Ended(stopped(budget), true, false);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e.getCause());
      Outcome outcome;
      if (cause instanceof CancellationException) {
        outcome = stopped(budget);
      } else if (cause instanceof RedisUnavailableException) {
        // The worker could not reach Redis for the bytes: not the task's fault, nor its module's.
        outcome =
            new Failed(
                Failure.UNAVAILABLE,
                "not started: its module could not be fetched (" + reason(cause) + ")",
                budget.elapsed());
      } else if (cause instanceof NotFoundException) {
        outcome = new Failed(Failure.MODULE_REMOVED, reason(cause), budget.elapsed());
      } else {
        outcome = new Failed(Failure.MODULE, reason(cause), budget.elapsed());
      }
      return new Ended(outcome, true, false);
    }
    try {
      return new Ended(
          tasks.run(compiled, payload, stdout, stderr, budget, taskLimits, env), false, false);
    } catch (Throwable e) { // everything a guest, Chicory or the JVM can throw becomes an outcome
      String in = e instanceof GuestCallFailed call ? " in " + call.function() : "";
      Throwable thrown = e instanceof GuestCallFailed ? e.getCause() : e;
      if (thrown instanceof OutOfMemoryError) {
        hits.hit(LimitHits.Limit.HEAP);
      }
      return new Ended(failure(thrown, in, budget), false, interruption(thrown));
    }
  }

  /** The outcome, given how the sandbox's own interrupts stood when the run ended. */
  private static Outcome settle(Ended ended, Execution.State state, Budget budget) {
    if (ended.outcome() instanceof Outcome.Succeeded) {
      return ended.outcome(); // it finished before the interrupt could stop it
    }
    // Whatever the guest died of after our interrupt (a trap in a sleep, an exit after an error
    // code), the interrupt caused it.
    return switch (state) {
      case TIMED_OUT -> timedOut(budget, ended.loading());
      case STOPPED -> stopped(budget);
      case RUNNING, FINISHED -> {
        if (ended.byInterrupt()) {
          // Someone else interrupted the thread: it ends the guest, and is kept for them.
          Thread.currentThread().interrupt();
          yield stopped(budget);
        }
        yield ended.outcome();
      }
    };
  }

  /**
   * What an exception or error out of a guest run means; {@code in} says in which export it was
   * thrown ({@code " in execute"}), or is empty.
   */
  private static Failed failure(Throwable e, String in, Budget budget) {
    if (e instanceof OutOfMemoryError) {
      return new Failed(
          Failure.LIMIT,
          "ran out of memory: the worker's heap could not hold what the task needed ("
              + message(e)
              + "); lower its memory or table sizes, or give the worker more heap",
          budget.elapsed());
    }
    if (e instanceof StackOverflowError) {
      return new Failed(Failure.TRAP, "trapped" + in + ": call stack exhausted", budget.elapsed());
    }
    if (e instanceof ChicoryException) {
      return new Failed(Failure.TRAP, "trapped" + in + ": " + message(e), budget.elapsed());
    }
    return new Failed(
        Failure.TRAP,
        "trapped"
            + in
            + ": the runtime failed with "
            + e.getClass().getSimpleName()
            + ": "
            + message(e),
        budget.elapsed());
  }

  /**
   * Whether an interrupt ended the guest: Chicory's own check, a WASI sleep whose {@link
   * InterruptedException} became a trap, or a host function that saw the flag and gave up.
   */
  private static boolean interruption(Throwable e) {
    if (e instanceof ChicoryInterruptedException || Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException) {
        return true;
      }
    }
    return false;
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

  /**
   * Why a module's load failed, in one line, from what its future ({@link ModuleCache#load}) failed
   * with: the reason a task waiting for it gives.
   */
  public static String loadFailure(Throwable thrown) {
    return reason(unwrap(thrown));
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

  private static String message(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  @Override
  public void close() {
    watchdog.close();
  }
}
