package dev.taskqueue.submission;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.module.ModuleName;
import dev.taskqueue.queue.QueueName;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a submission must satisfy before anything is written, and the defaults it takes from the
 * settings. It needs no Redis, so a CLI can run it before connecting and report bad input the same
 * way whether or not Redis is up.
 */
public final class SubmissionRules {
  static final int MAX_RETRIES = Settings.MAX_RETRIES_LIMIT;
  static final Duration MIN_TIMEOUT = Settings.MIN_TIMEOUT;
  static final Duration MAX_TIMEOUT = Settings.MAX_TIMEOUT;
  static final Duration MAX_BACKOFF_BASE = Settings.MAX_BACKOFF_BASE;
  static final Duration MAX_BACKOFF_CAP = Settings.MAX_BACKOFF_CAP;

  private SubmissionRules() {}

  /** A submission whose every value is checked and every default filled in. */
  public record Checked(
      String taskName,
      String queue,
      String payload,
      int maxRetries,
      RetryBackoff retryBackoff,
      Duration timeout,
      Optional<Instant> runAt,
      TaskLimits limits) {}

  /** How far ahead a task may be scheduled. */
  public static final Duration MAX_AHEAD = Duration.ofDays(3650);

  /**
   * Cheap checks come first, so the payload, the largest input, is read only when the rest holds.
   *
   * @throws InvalidInputException naming the first value that is wrong
   */
  public static Checked check(Submission submission, Config config, Clock clock) {
    String taskName = ModuleName.check(submission.taskName());
    String queue = QueueName.check(submission.queue());
    int maxRetries =
        checkMaxRetries(
            submission.maxRetries().orElseGet(() -> config.get(Settings.DEFAULT_MAX_RETRIES)));
    Duration timeout =
        checkTimeout(submission.timeout().orElseGet(() -> config.get(Settings.DEFAULT_TIMEOUT)));
    RetryBackoff backoff =
        checkBackoff(submission.retryBackoff().orElseGet(() -> defaultBackoff(config)));
    Instant now = clock.instant();
    Optional<Instant> runAt =
        submission
            .runAt()
            .or(() -> submission.runIn().map(in -> checkRunIn(in, now)))
            .flatMap(at -> checkRunAt(at, now));
    TaskLimits limits = checkLimits(submission.limits());
    Payload.check(submission.payload(), config.get(Settings.MAX_PAYLOAD_BYTES));
    return new Checked(
        taskName, queue, submission.payload(), maxRetries, backoff, timeout, runAt, limits);
  }

  /** A task's own limits: within what any worker could be set to. */
  private static TaskLimits checkLimits(TaskLimits limits) {
    limits
        .memoryPages()
        .ifPresent(pages -> within("memory pages", pages, 1, 65536, "(64 KiB each)"));
    limits.maxOutputBytes().ifPresent(bytes -> within("max output", bytes, 0, 1L << 30, "bytes"));
    limits.maxResultBytes().ifPresent(bytes -> within("max result", bytes, 0, 64L << 20, "bytes"));
    return limits;
  }

  private static void within(String what, long value, long min, long max, String unit) {
    if (value < min || value > max) {
      throw new InvalidInputException(
          what + " " + value + " is out of range: give " + min + " to " + max + " " + unit);
    }
  }

  /** A while of zero or less is now, as a run-at time that has passed. */
  private static Instant checkRunIn(Duration in, Instant now) {
    if (in.compareTo(MAX_AHEAD) > 0) {
      throw new InvalidInputException(
          "run-in " + in.toDays() + "d is more than 10 years ahead: give a nearer time");
    }
    return now.plus(in);
  }

  /**
   * A time that has passed runs the task now, as Sidekiq's {@code perform_at}, Celery's {@code eta}
   * and BullMQ's delay do: a caller's "now", or a time computed a moment before the submit, has
   * passed by the time it arrives, and refusing it failed scripts such as {@code --at "$(date -u
   * +%FT%TZ)"}.
   */
  private static Optional<Instant> checkRunAt(Instant at, Instant now) {
    if (at.isAfter(now.plus(MAX_AHEAD))) {
      throw new InvalidInputException(
          "run-at time " + at + " is more than 10 years ahead: give a nearer time");
    }
    return at.isAfter(now) ? Optional.of(at) : Optional.empty();
  }

  /** The same bounds as the settings that give the default. */
  private static RetryBackoff checkBackoff(RetryBackoff backoff) {
    if (backoff.base().compareTo(MAX_BACKOFF_BASE) > 0
        || backoff.cap().compareTo(MAX_BACKOFF_CAP) > 0) {
      throw new InvalidInputException(
          "retry backoff "
              + backoff
              + " is out of range: the base may be up to "
              + ValueTypes.format(MAX_BACKOFF_BASE)
              + " and the cap up to "
              + ValueTypes.format(MAX_BACKOFF_CAP)
              + ", such as 1s..5m");
    }
    return backoff;
  }

  private static RetryBackoff defaultBackoff(Config config) {
    Duration base = config.get(Settings.RETRY_BACKOFF_BASE);
    Duration cap = config.get(Settings.RETRY_BACKOFF_CAP);
    if (cap.compareTo(base) < 0) {
      throw new InvalidInputException(
          Settings.RETRY_BACKOFF_CAP.name()
              + " ("
              + ValueTypes.format(cap)
              + ") is below "
              + Settings.RETRY_BACKOFF_BASE.name()
              + " ("
              + ValueTypes.format(base)
              + "): set the cap at least as long as the base");
    }
    return new RetryBackoff(base, cap);
  }

  private static int checkMaxRetries(int maxRetries) {
    if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
      throw new InvalidInputException(
          "max retries "
              + maxRetries
              + " is out of range: give 0 to "
              + MAX_RETRIES
              + " (how often a failed task is tried again)");
    }
    return maxRetries;
  }

  private static Duration checkTimeout(Duration timeout) {
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidInputException(
          "timeout "
              + ValueTypes.format(timeout)
              + " is out of range: give a duration from "
              + ValueTypes.format(MIN_TIMEOUT)
              + " to "
              + ValueTypes.format(MAX_TIMEOUT)
              + ", such as 30s or 5m");
    }
    return timeout;
  }
}
