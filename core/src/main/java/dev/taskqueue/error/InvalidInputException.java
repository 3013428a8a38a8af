package dev.taskqueue.error;

/** A value given by a person or program was not acceptable; nothing was written. */
public class InvalidInputException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(ExitCode.INVALID_INPUT, message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(ExitCode.INVALID_INPUT, message, cause);
  }
}
