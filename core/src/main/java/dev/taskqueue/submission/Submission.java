package dev.taskqueue.submission;

import dev.taskqueue.queue.QueueName;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A request to run a task: which task, with what payload, and under which rules. Nothing is checked
 * here; {@link TaskSubmitter#submit} checks everything before it writes, and fills in the rules
 * left out from its settings ({@code TASK_QUEUE_DEFAULT_MAX_RETRIES}, {@code
 * TASK_QUEUE_DEFAULT_TIMEOUT}, {@code TASK_QUEUE_RETRY_BACKOFF_BASE} and {@code _CAP}).
 *
 * <pre>
 * Submission.builder("greeter", "{\"name\":\"Ada\"}")
 *     .withQueue("urgent")
 *     .withTimeout(Duration.ofSeconds(5))
 *     .build()
 * </pre>
 */
public final class Submission {
  private final String taskName;
  private final String payload;
  private final String queue;
  private final Optional<Integer> maxRetries;
  private final Optional<Duration> timeout;
  private final Optional<RetryBackoff> retryBackoff;
  private final Optional<Instant> runAt;
  private final Optional<Duration> runIn;
  private final TaskLimits limits;

  private Submission(Builder builder) {
    this.taskName = builder.taskName;
    this.payload = builder.payload;
    this.queue = builder.queue;
    this.maxRetries = Optional.ofNullable(builder.maxRetries);
    this.timeout = Optional.ofNullable(builder.timeout);
    this.retryBackoff = Optional.ofNullable(builder.retryBackoff);
    this.runAt = Optional.ofNullable(builder.runAt);
    this.runIn = Optional.ofNullable(builder.runIn);
    this.limits =
        new TaskLimits(
            builder.memoryPages == null ? OptionalInt.empty() : OptionalInt.of(builder.memoryPages),
            builder.maxOutputBytes == null
                ? OptionalLong.empty()
                : OptionalLong.of(builder.maxOutputBytes),
            builder.maxResultBytes == null
                ? OptionalLong.empty()
                : OptionalLong.of(builder.maxResultBytes));
  }

  /**
   * Starts a submission of {@code taskName} with {@code payload}.
   *
   * @param taskName the name the task's module was uploaded under
   * @param payload JSON text, stored and handed to the task exactly as given
   */
  public static Builder builder(String taskName, String payload) {
    return new Builder(taskName, payload);
  }

  public String taskName() {
    return taskName;
  }

  public String payload() {
    return payload;
  }

  public String queue() {
    return queue;
  }

  /** Retries after the first failed attempt; empty means the configured default. */
  public Optional<Integer> maxRetries() {
    return maxRetries;
  }

  /** Wall-clock limit of one attempt; empty means the configured default. */
  public Optional<Duration> timeout() {
    return timeout;
  }

  /** How long retries wait; empty means the configured default. */
  public Optional<RetryBackoff> retryBackoff() {
    return retryBackoff;
  }

  /** When to run it, as a time; empty means now, or {@link #runIn}. */
  public Optional<Instant> runAt() {
    return runAt;
  }

  /** When to run it, as a while from its submit; empty means now, or {@link #runAt}. */
  public Optional<Duration> runIn() {
    return runIn;
  }

  /** Limits of its own, each lowering its module's and the workers'; none by default. */
  public TaskLimits limits() {
    return limits;
  }

  /** Names the task and queue only: a payload can be large or private. */
  @Override
  public String toString() {
    return "Submission[" + taskName + " in " + queue + ", " + payload.length() + " chars]";
  }

  /** Builds a {@link Submission}; the queue defaults to {@code default}. */
  public static final class Builder {
    private final String taskName;
    private final String payload;
    private String queue = QueueName.DEFAULT;
    private Integer maxRetries;
    private Duration timeout;
    private RetryBackoff retryBackoff;
    private Instant runAt;
    private Duration runIn;
    private Integer memoryPages;
    private Long maxOutputBytes;
    private Long maxResultBytes;

    private Builder(String taskName, String payload) {
      this.taskName = Objects.requireNonNull(taskName, "taskName");
      this.payload = Objects.requireNonNull(payload, "payload");
    }

    public Builder withQueue(String queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    public Builder withMaxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder withTimeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder withRetryBackoff(RetryBackoff retryBackoff) {
      this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
      return this;
    }

    /**
     * Runs the task at {@code runAt} rather than now: at most 10 years ahead; a time that has
     * passed by the submit runs it now.
     */
    public Builder withRunAt(Instant runAt) {
      this.runAt = Objects.requireNonNull(runAt, "runAt");
      this.runIn = null;
      return this;
    }

    /**
     * Runs the task {@code runIn} after it is submitted rather than now: counted from the submit
     * itself, so time spent before it (connecting to Redis) does not make it late. Zero or less is
     * now.
     */
    public Builder withRunIn(Duration runIn) {
      this.runIn = Objects.requireNonNull(runIn, "runIn");
      this.runAt = null;
      return this;
    }

    /** Caps its linear memory at {@code pages} of 64 KiB (below its module's and the workers'). */
    public Builder withMemoryPages(int pages) {
      this.memoryPages = pages;
      return this;
    }

    /** Keeps at most {@code bytes} of an attempt's output in its log. */
    public Builder withMaxOutputBytes(long bytes) {
      this.maxOutputBytes = bytes;
      return this;
    }

    /** Fails an attempt whose result is over {@code bytes}. */
    public Builder withMaxResultBytes(long bytes) {
      this.maxResultBytes = bytes;
      return this;
    }

    public Submission build() {
      return new Submission(this);
    }
  }
}
