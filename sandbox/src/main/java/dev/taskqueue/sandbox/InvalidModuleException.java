package dev.taskqueue.sandbox;

import dev.taskqueue.error.InvalidInputException;

/** A module that cannot be a task: not WebAssembly, or not following the task ABI. */
public final class InvalidModuleException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  public InvalidModuleException(String message) {
    super(message);
  }

  public InvalidModuleException(String message, Throwable cause) {
    super(message, cause);
  }
}
