package dev.taskqueue.worker;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.sandbox.Budget;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import dev.taskqueue.sandbox.OutputCap;
import dev.taskqueue.sandbox.Sandbox;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one claimed task to its end: its module from the cache and a fresh sandbox instance, all
 * within the task's timeout counted from its claim, with the task's output captured into its log;
 * then exactly one way out, handed to the {@link BatchRecorder}: complete, fail, or (when the
 * worker is stopping) release. A task whose hash is corrupt is failed on its own. Whatever happens
 * in between, the task is never left leased by a worker that forgot it: its lease is held until
 * Redis confirms the outcome, which is sent again while the lease lasts, and only then left to the
 * recovery of expired leases.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private final WorkerSettings settings;
  private final Keys keys;
  private final LogShipper shipper;
  private final ModuleCache modules;
  private final ModuleOptionsCache moduleOptions;
  private final Sandbox sandbox;
  private final BatchRecorder recorder;
  private final HeldLeases held;
  private final WorkerMetrics metrics;
  private final Clock clock;

  TaskRunner(
      WorkerSettings settings,
      Keys keys,
      LogShipper shipper,
      ModuleCache modules,
      ModuleOptionsCache moduleOptions,
      Sandbox sandbox,
      BatchRecorder recorder,
      HeldLeases held,
      WorkerMetrics metrics,
      Clock clock) {
    this.settings = settings;
    this.keys = keys;
    this.shipper = shipper;
    this.modules = modules;
    this.moduleOptions = moduleOptions;
    this.sandbox = sandbox;
    this.recorder = recorder;
    this.held = held;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Gives the task back to the front of its queue without running it, for any worker to run: it
   * waited {@code waited} for a slot here. The attempt counts, as a stopping worker's release does.
   */
  void release(Claimed claimed, Duration waited) {
    Lease lease = claimed.lease();
    put(lease);
    try {
      String why = "not started: it waited " + waited.toMillis() + " ms for a slot";
      record(
          "task released",
          AttemptOutcome.released(lease),
          () -> event("task.released", Duration.ZERO, "task released: " + why));
    } finally {
      MDC.clear();
    }
  }

  /**
   * Runs the task and hands its outcome to the recorder; returns without waiting for Redis. The
   * lease, held (and renewed) since the claim, stays held until the outcome is recorded or given
   * up.
   */
  void run(Claimed claimed) {
    Lease lease = claimed.lease();
    put(lease);
    metrics.slotTaken();
    try {
      if (claimed instanceof Claimed.Ready ready) {
        run(ready.task(), lease);
      } else {
        String problem = ((Claimed.Corrupt) claimed).problem();
        LOG.atError().addKeyValue(LogFields.EVENT, "task.corrupt").log("{}", problem);
        // A retry would claim the same hash: it is dead at once, for someone to look at.
        record(
            "task failed: its hash is corrupt",
            AttemptOutcome.failedForGood(lease, problem, Optional.empty()),
            () -> {});
      }
    } catch (RuntimeException | Error e) {
      // A bug, or the JVM out of memory outside the sandbox: the task must still end.
      failAfterError(lease, e);
    } finally {
      metrics.slotFreed();
      MDC.clear();
    }
  }

  private void run(Task task, Lease lease) {
    MDC.put(LogFields.TASK_NAME, task.name());
    MDC.put(LogFields.ATTEMPT, Integer.toString(task.attempts()));
    LOG.atInfo().addKeyValue(LogFields.EVENT, "task.started").log("task started");
    metrics.started(task, clock.instant());
    ModuleOptions options;
    try {
      options = moduleOptions.of(task.name(), task.moduleVersion());
    } catch (NotFoundException e) {
      record(
          task,
          lease,
          new Failed(Failure.MODULE_REMOVED, e.getMessage(), Duration.ZERO),
          Optional.empty());
      return;
    } catch (RedisUnavailableException e) {
      String why = "not started: its module's options could not be read (" + e.getMessage() + ")";
      record(task, lease, new Failed(Failure.UNAVAILABLE, why, Duration.ZERO), Optional.empty());
      return;
    }
    Outcome outcome;
    OutputCap cap = outputCap(options, task);
    TaskLog log =
        TaskLog.open(
            task,
            settings.workerId(),
            settings.logDir(),
            settings.mirrorLogs(),
            cap,
            clock,
            shipper,
            keys.taskLog(task.queue(), task.id().value()));
    try (log) {
      outcome =
          sandbox.run(
              modules.load(task.moduleDigest()),
              task.payload().getBytes(StandardCharsets.UTF_8),
              budget(task, options),
              log.stdout(),
              log.stderr(),
              settings
                  .limits()
                  .lowered(options.limits(), "the module's")
                  .lowered(task.limits(), "the task's"),
              options.env());
    }
    if (cap.cutBytes() > 0) {
      metrics.outputCut();
    }
    outcome = GuestFault.withLastStderrLine(outcome, log.lastStderrLine());
    // The log is closed, so it is complete (its last unterminated line too) by the time the
    // outcome says where it is.
    record(task, lease, outcome, log.path());
  }

  /** The lowest output cap of the worker's, the module's and the task's own. */
  private OutputCap outputCap(ModuleOptions options, Task task) {
    long cap = settings.maxOutputBytes();
    String source = "TASK_QUEUE_MAX_OUTPUT_BYTES";
    OptionalLong module = options.maxOutputBytes();
    if (module.isPresent() && module.getAsLong() < cap) {
      cap = module.getAsLong();
      source = "the module's --max-output";
    }
    OptionalLong own = task.limits().maxOutputBytes();
    if (own.isPresent() && own.getAsLong() < cap) {
      cap = own.getAsLong();
      source = "the task's --max-output";
    }
    return new OutputCap(cap, source);
  }

  /**
   * The attempt's time runs from its claim, so the time spent loading the module counts, and the
   * attempt ends before the heartbeat stops renewing its lease (at the timeout plus a grace). A
   * module's own timeout, or this worker's maximum ({@code TASK_QUEUE_MAX_TIMEOUT}), when shorter
   * than the task's, ends it sooner.
   */
  private Budget budget(Task task, ModuleOptions options) {
    Duration sinceClaim =
        task.startedAt()
            .map(start -> Duration.between(start, clock.instant()))
            .orElse(Duration.ZERO);
    long started = System.nanoTime() - Math.max(0, sinceClaim.toNanos());
    Duration timeout = task.timeout();
    if (options.timeout().isPresent() && options.timeout().get().compareTo(timeout) < 0) {
      timeout = options.timeout().get();
    }
    if (settings.maxTimeout().compareTo(timeout) < 0) {
      timeout = settings.maxTimeout();
    }
    return new Budget(timeout, started);
  }

  private void record(Task task, Lease lease, Outcome outcome, Optional<String> logPath) {
    if (outcome instanceof Outcome.Succeeded done) {
      metrics.executed(task, done.elapsed());
      record(
          "task completed",
          AttemptOutcome.completed(lease, TaskResult.of(done.result()), logPath),
          () -> event("task.completed", done.elapsed(), "task completed"));
      return;
    }
    Outcome.Failed failed = (Outcome.Failed) outcome;
    if (failed.failure() == Outcome.Failure.INTERRUPTED
        || failed.failure() == Outcome.Failure.UNAVAILABLE) {
      // Not the task's fault: back to the front of its queue, to run now, here or elsewhere.
      record(
          "task released",
          AttemptOutcome.released(lease),
          () -> event("task.released", failed.elapsed(), "task released: " + failed.message()));
      return;
    }
    metrics.executed(task, failed.elapsed());
    boolean removed = failed.failure() == Outcome.Failure.MODULE_REMOVED;
    String error =
        removed || failed.failure() == Outcome.Failure.MODULE
            ? "cannot load module "
                + task.name()
                + " v"
                + task.moduleVersion()
                + " ("
                + ModuleDigest.shortForm(task.moduleDigest())
                + "): "
                + failed.message()
                + (removed ? "; not retried, since every retry would find it gone" : "")
            : failed.message();
    record(
        "task failed",
        removed
            ? AttemptOutcome.failedForGood(lease, error, logPath)
            : AttemptOutcome.failed(lease, error, logPath),
        () ->
            LOG.atWarn()
                .addKeyValue(LogFields.EVENT, "task.failed")
                .addKeyValue(LogFields.DURATION_MS, failed.elapsed().toMillis())
                .log("task failed: {}", error));
  }

  /**
   * Hands one way out to the recorder, which sends it until Redis answers or the lease runs out
   * (the heartbeat may renew it meanwhile, so the time left is looked up at each try). What it did
   * is logged with the task's context once known; {@code ifRecorded} logs the task's own event.
   */
  private void record(String what, AttemptOutcome outcome, Runnable ifRecorded) {
    Lease lease = outcome.lease();
    LogContext context = LogContext.current(lease);
    recorder.record(
        outcome,
        () -> held.current(lease).expiresAt(),
        new BatchRecorder.Then() {
          @Override
          public void recorded(Ending end) {
            if (end.recorded()) {
              metrics.ended(outcome, end, context.taskName());
            }
            context.run(() -> report(what, end, outcome.retryable(), ifRecorded));
            held.forget(lease);
          }

          @Override
          public void unrecorded(RuntimeException why) {
            context.run(() -> reportUnrecorded(what, why));
            held.forget(lease);
          }
        });
  }

  private static void report(String what, Ending end, boolean retryable, Runnable ifRecorded) {
    if (!end.recorded()) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "task.outcome_discarded")
          .log("{} but its outcome was not recorded: {}", what, end.result().why());
      return;
    }
    end.retryAt()
        .ifPresent(
            at ->
                LOG.atInfo()
                    .addKeyValue(LogFields.EVENT, "task.retry_scheduled")
                    .log("retry scheduled at {}", at));
    if (end.stage().orElse(null) == Stage.DEAD) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "task.dead")
          .log(
              retryable
                  ? "retries spent: the task is dead (dead-letter queue)"
                  : "not retried: the task is dead (dead-letter queue)");
    }
    ifRecorded.run();
  }

  /**
   * An outage's unrecorded outcome is a warning, as a discarded one is: the expected end of a lease
   * that ran out while Redis was away, which the reaper mends (docs/reliability.md). Any other
   * failure to record is a bug.
   */
  private static void reportUnrecorded(String what, RuntimeException why) {
    if (why instanceof RedisUnavailableException) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "task.unrecorded")
          .log(
              "{} but could not record it before its lease expired ({}): it is left to the"
                  + " recovery of expired leases",
              what,
              why.getMessage());
    } else {
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "task.unrecorded")
          .setCause(why)
          .log(
              "bug: {} but recording it failed; it is left to the recovery of expired leases",
              what);
    }
  }

  /**
   * The task's logging context, carried from its slot to the recorder's thread: the few values
   * themselves rather than a copy of the slot's whole context map, made for every task.
   */
  private record LogContext(Lease lease, String taskName, String attempt) {
    static LogContext current(Lease lease) {
      return new LogContext(lease, MDC.get(LogFields.TASK_NAME), MDC.get(LogFields.ATTEMPT));
    }

    void run(Runnable logging) {
      put(lease);
      if (taskName != null) {
        MDC.put(LogFields.TASK_NAME, taskName);
        MDC.put(LogFields.ATTEMPT, attempt);
      }
      try {
        logging.run();
      } finally {
        MDC.clear();
      }
    }
  }

  /** The context every line about a task carries: all of it is in the lease. */
  private static void put(Lease lease) {
    MDC.put(LogFields.TASK_ID, lease.taskId().value());
    MDC.put(LogFields.QUEUE, lease.queue());
    MDC.put(LogFields.WORKER_ID, lease.workerId());
  }

  private void failAfterError(Lease lease, Throwable error) {
    try {
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "task.worker_error")
          .setCause(error)
          .log("bug: running the task failed unexpectedly; failing the attempt");
      String message = "the worker failed while running it: " + error;
      record("task failed", AttemptOutcome.failed(lease, message, Optional.empty()), () -> {});
    } catch (RuntimeException | Error again) {
      // Nothing more can be done here; the lease expires and the task is recovered.
      held.forget(lease);
    }
  }

  private static void event(String event, Duration elapsed, String message) {
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, event)
        .addKeyValue(LogFields.DURATION_MS, elapsed.toMillis())
        .log(message);
  }
}
