package dev.taskqueue.redis;

/**
 * The integer codes the scripts return, mapped in this one place. Each script's header lists the
 * codes it returns; the Java method that runs it turns the code into its own typed result, never
 * into a number anyone else has to know.
 */
public enum ScriptReply {
  /** The change was made. */
  OK(1),
  /** The same request was applied before (its reply was lost): nothing changed, it stands. */
  ALREADY_DONE(0),
  /** The task hash does not exist. */
  NO_SUCH_TASK(-1),
  /** The task is not in progress under the caller's lease token: another claim holds it. */
  LEASE_LOST(-2),
  /** The caller's lease ran out before the request arrived. */
  LEASE_EXPIRED(-3),
  /** No module has this name (or, to enqueue, none of it is known in the queue). */
  NO_SUCH_MODULE(-4),
  /** What the caller read changed before its write arrived: read again and retry. */
  STALE(-5),
  /** The task's module version was removed from the registry: the task cannot be enqueued. */
  TASK_NAME_RETIRED(-6),
  /** The task is running: it cannot be changed that way now. */
  TASK_RUNNING(-7),
  /** The task has ended already. */
  TASK_ENDED(-8),
  /** The name is taken. */
  NAME_TAKEN(-9),
  /** A request this one must follow has not run yet: send it again once that one is answered. */
  TOO_EARLY(-10);

  private static final ScriptReply[] ALL = values();

  private final long code;

  ScriptReply(long code) {
    this.code = code;
  }

  /** The integer the scripts return for this reply. */
  public long code() {
    return code;
  }

  /**
   * Maps a script's reply; a code the script does not return is a bug. A loop over one array, not a
   * stream over a fresh copy of {@code values()}: a worker maps the reply of every task it ends.
   */
  public static ScriptReply of(LuaScript script, long code) {
    for (ScriptReply reply : ALL) {
      if (reply.code == code) {
        return reply;
      }
    }
    throw new IllegalStateException("bug: " + script + " returned unknown code " + code);
  }

  /** The exception for a reply a script's caller does not expect from it: always a bug. */
  public IllegalStateException unexpectedFrom(LuaScript script) {
    return new IllegalStateException("bug: " + script + " replied " + this + " (" + code + ")");
  }
}
