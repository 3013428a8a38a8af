package dev.taskqueue.error;

/** The task, task name or module that was asked for does not exist. */
public class NotFoundException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(ExitCode.NOT_FOUND, message);
  }
}
