package dev.taskqueue.error;

/** The request is well formed but the current state forbids it; the message says how to proceed. */
public class ConflictException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(ExitCode.CONFLICT, message);
  }
}
