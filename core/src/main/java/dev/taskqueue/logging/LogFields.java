package dev.taskqueue.logging;

/**
 * Names of the structured fields in log events. Task fields travel in the MDC while a task runs;
 * {@link #EVENT} and {@link #DURATION_MS} are added per event as key-value pairs. In {@code json}
 * format each becomes a top-level JSON field; in {@code pretty} format they follow the message.
 */
public final class LogFields {
  public static final String TASK_ID = "task_id";
  public static final String TASK_NAME = "task_name";
  public static final String QUEUE = "queue";
  public static final String ATTEMPT = "attempt";
  public static final String WORKER_ID = "worker_id";
  public static final String EVENT = "event";
  public static final String DURATION_MS = "duration_ms";
  public static final String STREAM = "stream";

  private LogFields() {}
}
