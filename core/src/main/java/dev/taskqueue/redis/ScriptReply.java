package dev.taskqueue.redis;

import dev.taskqueue.error.NotFoundException;
import java.util.Arrays;

/**
 * The integer codes scripts return, and the one place they become exceptions. A code that means
 * "you lost a race" ({@link #LEASE_LOST}) is answered with {@code false} by the caller instead.
 */
public enum ScriptReply {
  OK(1),
  NO_SUCH_TASK(-1),
  LEASE_LOST(-2),
  TASK_EXISTS(-3),
  NO_SUCH_MODULE(-4);

  private final long code;

  ScriptReply(long code) {
    this.code = code;
  }

  public long code() {
    return code;
  }

  /**
   * The exception a caller throws when this code means its request cannot be met.
   *
   * @param subject the task id or module name the request was about
   */
  public RuntimeException toException(String subject) {
    return switch (this) {
      case NO_SUCH_TASK ->
          new NotFoundException("task " + subject + " does not exist (it may have been deleted)");
      case NO_SUCH_MODULE ->
          new NotFoundException(
              "no module named '" + subject + "' is registered; see 'registry list'");
      case TASK_EXISTS ->
          new IllegalStateException("bug: task id " + subject + " was issued twice");
      case OK, LEASE_LOST ->
          new IllegalStateException("bug: " + this + " is not a failure of " + subject);
    };
  }

  /** Maps a script's reply; a code no script returns is a bug. */
  public static ScriptReply of(LuaScript script, long code) {
    return Arrays.stream(values())
        .filter(r -> r.code == code)
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("bug: " + script + " returned unknown code " + code));
  }
}
