package dev.taskqueue.error;

/** Redis could not be reached or stopped answering. */
public class RedisUnavailableException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public RedisUnavailableException(String message, Throwable cause) {
    super(ExitCode.UNAVAILABLE, message, cause);
  }
}
