package dev.taskqueue.error;

/** The exit codes every task-queue executable uses, so scripts can tell failures apart. */
public enum ExitCode {
  /** Done. */
  OK(0),
  /** Something went wrong at run time that is not the caller's input: see the message. */
  FAILURE(1),
  /** The command line, a setting, a payload or a module was invalid: fix the input and retry. */
  INVALID_INPUT(2),
  /** Redis could not be reached: start it or fix REDIS_URL, then retry. */
  UNAVAILABLE(3),
  /** The task, task name or module named does not exist. */
  NOT_FOUND(4),
  /** The request conflicts with the current state (e.g. removing a module that tasks still use). */
  CONFLICT(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
