package dev.taskqueue.worker;

import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.TaskLeases;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.sandbox.CompiledModule;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Sandbox;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one claimed task to its end: compiled module from the cache, a fresh sandbox instance with
 * the task's output captured into its log, then exactly one transition: complete, fail, or (when
 * the worker is stopping) release. Losing the lease meanwhile is logged, not thrown.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private final WorkerSettings settings;
  private final ModuleCache modules;
  private final Sandbox sandbox;
  private final TaskLeases leases;
  private final Clock clock;

  TaskRunner(
      WorkerSettings settings,
      ModuleCache modules,
      Sandbox sandbox,
      TaskLeases leases,
      Clock clock) {
    this.settings = settings;
    this.modules = modules;
    this.sandbox = sandbox;
    this.leases = leases;
    this.clock = clock;
  }

  void run(Task task) {
    Lease lease = Lease.of(task);
    MDC.put(LogFields.TASK_ID, task.id().value());
    MDC.put(LogFields.TASK_NAME, task.name());
    MDC.put(LogFields.QUEUE, task.queue());
    MDC.put(LogFields.ATTEMPT, Integer.toString(task.attempts()));
    MDC.put(LogFields.WORKER_ID, settings.workerId());
    try {
      LOG.atInfo().addKeyValue(LogFields.EVENT, "task.started").log("task started");
      Outcome outcome;
      Optional<String> logPath;
      try (TaskLog log =
          TaskLog.open(
              task, settings.workerId(), settings.logDir(), settings.mirrorLogs(), clock)) {
        outcome = execute(task, log);
        logPath = log.path();
      }
      // The log is closed, so it is complete by the time the outcome says where it is.
      record(lease, outcome, logPath);
    } catch (RedisException e) {
      // The outcome is not recorded; the task keeps its lease, so the reaper will find it.
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "task.unrecorded")
          .log(
              "could not record the task's outcome: Redis failed ({}); it stays leased until"
                  + " its lease expires",
              RedisConnector.rootMessage(e));
    } finally {
      MDC.clear();
    }
  }

  private Outcome execute(Task task, TaskLog log) {
    CompiledModule module;
    long start = System.nanoTime();
    try {
      module = modules.get(task.moduleDigest());
    } catch (TaskQueueException | IllegalStateException e) {
      return new Outcome.Failed(
          Outcome.Failure.MODULE,
          "cannot load module "
              + task.name()
              + " v"
              + task.moduleVersion()
              + " ("
              + ModuleDigest.shortForm(task.moduleDigest())
              + "): "
              + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - start));
    }
    return sandbox.run(
        module,
        task.payload().getBytes(StandardCharsets.UTF_8),
        task.timeout(),
        log.stdout(),
        log.stderr());
  }

  private void record(Lease lease, Outcome outcome, Optional<String> logPath) {
    boolean held;
    if (outcome instanceof Outcome.Succeeded done) {
      held = leases.complete(lease, TaskResult.of(done.result()), logPath);
      if (held) {
        event("task.completed", done.elapsed(), "task completed");
      }
    } else {
      Outcome.Failed failed = (Outcome.Failed) outcome;
      if (failed.failure() == Outcome.Failure.INTERRUPTED) {
        held = leases.release(lease);
        if (held) {
          event("task.released", failed.elapsed(), "task released: the worker is stopping");
        }
      } else {
        held = leases.fail(lease, failed.message(), logPath);
        if (held) {
          LOG.atWarn()
              .addKeyValue(LogFields.EVENT, "task.failed")
              .addKeyValue(LogFields.DURATION_MS, failed.elapsed().toMillis())
              .log("task failed: {}", failed.message());
        }
      }
    }
    if (!held) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "task.lease_lost")
          .log("task outcome not recorded: the lease was lost (the task was claimed again)");
    }
  }

  private static void event(String event, Duration elapsed, String message) {
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, event)
        .addKeyValue(LogFields.DURATION_MS, elapsed.toMillis())
        .log(message);
  }
}
