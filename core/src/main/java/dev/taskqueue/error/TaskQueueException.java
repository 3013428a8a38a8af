package dev.taskqueue.error;

/**
 * Root of every exception task-queue throws on purpose. Its message is written for the person
 * running the command: it names the input, what was wrong and what to do.
 */
public class TaskQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  public TaskQueueException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public TaskQueueException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The exit code a CLI ends with when this exception stops it. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
