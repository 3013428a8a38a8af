package dev.taskqueue.task;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;

/**
 * A task hash read from Redis that cannot be a task: a field missing, malformed or outside what a
 * submission may hold (a name with a path in it, say). Not a bug of the reader: the hash was
 * written by hand, by another program, or damaged. The task cannot run; it is failed on its own.
 */
public final class CorruptTaskException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public CorruptTaskException(String message) {
    super(ExitCode.FAILURE, message);
  }
}
