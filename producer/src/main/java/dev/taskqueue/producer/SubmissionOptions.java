package dev.taskqueue.producer;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.RetryBackoff;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The flags that say what a task runs and under which rules, shared by {@code producer submit} and
 * {@code producer cron add}, whose every firing submits the same.
 */
final class SubmissionOptions {
  // Required, but checked in builder(): producer submit --batch takes it from the file instead.
  @Option(
      names = "--task",
      paramLabel = "NAME",
      description = "Task to run: the name its module was uploaded under.")
  private String task;

  @Option(
      names = "--payload",
      paramLabel = "JSON|@FILE|-",
      description =
          "The payload: JSON text, @FILE to read a file, or - (the default) to read stdin.")
  private String payload;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "Queue to put the task in (default: default).")
  private String queue;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      description =
          "Retries after a failed attempt, 0-100 (default: TASK_QUEUE_DEFAULT_MAX_RETRIES).")
  private Integer maxRetries;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Limit of one attempt, 10ms-24h, e.g. 30s (default: TASK_QUEUE_DEFAULT_TIMEOUT).")
  private Duration timeout;

  @Option(
      names = "--retry-backoff",
      paramLabel = "BASE..CAP",
      converter = RetryBackoffConverter.class,
      description =
          "Wait before each retry, e.g. 1s..5m: up to BASE after the first failed attempt,"
              + " twice as long after each further one, never more than CAP (default:"
              + " TASK_QUEUE_RETRY_BACKOFF_BASE..TASK_QUEUE_RETRY_BACKOFF_CAP).")
  private RetryBackoff retryBackoff;

  @Option(
      names = "--memory-pages",
      paramLabel = "N",
      description =
          "Linear memory cap of the task in 64 KiB pages, when lower than its module's and the"
              + " worker's.")
  private Integer memoryPages;

  @Option(
      names = "--max-output",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Most of an attempt's output its log keeps, e.g. 64KiB, when lower than its module's and"
              + " the worker's.")
  private Long maxOutput;

  @Option(
      names = "--max-result",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Largest result an attempt may return, e.g. 64KiB, when lower than its module's and the"
              + " worker's.")
  private Long maxResult;

  /** Whether any of these flags was given. */
  boolean given() {
    return task != null
        || payload != null
        || queue != null
        || maxRetries != null
        || timeout != null
        || retryBackoff != null
        || memoryPages != null
        || maxOutput != null
        || maxResult != null;
  }

  /**
   * A submission of these flags, its payload read (from a file or stdin if so given).
   *
   * @throws ParameterException when {@code --task} is missing, as picocli says of a required flag
   */
  Submission.Builder builder(Config config, CommandSpec spec) {
    if (task == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--task=NAME'");
    }
    return builder(
        task,
        PayloadInput.read(payload, config.get(Settings.MAX_PAYLOAD_BYTES)),
        queue,
        maxRetries,
        timeout,
        retryBackoff,
        memoryPages,
        maxOutput,
        maxResult);
  }

  /** A submission of these values, each left to the default when null; for a batch file too. */
  static Submission.Builder builder(
      String task,
      String payload,
      String queue,
      Integer maxRetries,
      Duration timeout,
      RetryBackoff retryBackoff,
      Integer memoryPages,
      Long maxOutput,
      Long maxResult) {
    Submission.Builder builder = Submission.builder(task, payload);
    if (memoryPages != null) {
      builder.withMemoryPages(memoryPages);
    }
    if (maxOutput != null) {
      builder.withMaxOutputBytes(maxOutput);
    }
    if (maxResult != null) {
      builder.withMaxResultBytes(maxResult);
    }
    if (queue != null) {
      builder.withQueue(queue);
    }
    if (maxRetries != null) {
      builder.withMaxRetries(maxRetries);
    }
    if (timeout != null) {
      builder.withTimeout(timeout);
    }
    if (retryBackoff != null) {
      builder.withRetryBackoff(retryBackoff);
    }
    return builder;
  }
}
