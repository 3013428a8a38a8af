package dev.taskqueue.submission;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.EnqueueResult;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Creates tasks, the one way they come to be: checks a submission ({@link SubmissionRules}), pins
 * the newest version of its module, builds the task with a fresh id and enqueues it. The producer
 * (CLI and Java client) uses it, and so will everything else that makes tasks (schedules, replays
 * of dead tasks), without depending on the producer.
 *
 * <p>A submit whose reply is lost (a timeout, a failover) is sent again with the same task id for
 * up to {@code TASK_QUEUE_REDIS_RETRY_FOR} in all, as are its reads; a repeat finds the task and
 * reports it queued. If Redis never answers, the error names the task id, so whether it was queued
 * can be checked instead of guessed. Safe to share between threads.
 */
public final class TaskSubmitter {
  private final Config config;
  private final ModuleStore modules;
  private final TaskEnqueuer enqueuer;
  private final TaskIdGenerator ids;
  private final Clock clock;

  public TaskSubmitter(Config config, ModuleStore modules, TaskEnqueuer enqueuer, Clock clock) {
    this.config = Objects.requireNonNull(config);
    this.modules = Objects.requireNonNull(modules);
    this.enqueuer = Objects.requireNonNull(enqueuer);
    this.clock = Objects.requireNonNull(clock);
    this.ids = new TaskIdGenerator(clock);
  }

  /**
   * Enqueues a task that runs the newest version of its module. That version's digest is pinned
   * now: uploading another version later does not change what this task runs.
   *
   * @throws dev.taskqueue.error.InvalidInputException when a value of the submission is not
   *     acceptable; nothing was written
   * @throws NotFoundException when no module is registered under the task name
   * @throws RedisUnavailableException when Redis cannot be reached, or did not confirm the task
   *     (the message then names its id)
   */
  public TaskId submit(Submission submission) {
    SubmissionRules.Checked checked = SubmissionRules.check(submission, config, clock);
    Instant deadline = clock.instant().plus(config.get(Settings.REDIS_RETRY_FOR));
    // A read is always safe to send again; during a failover it can time out like a write.
    ModuleVersion module = Resend.until(deadline, clock, () -> modules.require(checked.taskName()));
    NewTask task =
        new NewTask(
            ids.next(),
            checked.queue(),
            checked.taskName(),
            module.digest(),
            module.version(),
            checked.runAt().isPresent() ? Kind.SCHEDULED : Kind.IMMEDIATE,
            checked.payload(),
            checked.maxRetries(),
            checked.retryBackoff(),
            checked.timeout(),
            clock.instant(),
            checked.runAt());
    EnqueueResult result = enqueue(task, deadline);
    if (!result.queued()) {
      throw new NotFoundException(
          "unknown task '"
              + task.name()
              + "': its module (v"
              + task.moduleVersion()
              + ") was removed from the registry while the task was being submitted; nothing was"
              + " queued; see 'registry list'");
    }
    return task.id();
  }

  private EnqueueResult enqueue(NewTask task, Instant deadline) {
    Resend.until(
        deadline,
        clock,
        () -> {
          enqueuer.registerQueue(task.queue());
          return true;
        });
    try {
      return Resend.until(deadline, clock, () -> enqueuer.enqueue(task));
    } catch (RedisUnavailableException e) {
      throw new RedisUnavailableException(
          e.getMessage()
              + "; task "
              + task.id()
              + " was sent but Redis did not confirm it, so it may or may not be queued: check"
              + " with 'producer status "
              + task.id()
              + "' before submitting it again",
          e);
    }
  }
}
