package dev.taskqueue.queue;

import dev.taskqueue.task.Names;

/** Checks queue names: they become part of Redis keys and hash tags. */
public final class QueueName {
  public static final String DEFAULT = "default";

  private QueueName() {}

  /** Returns {@code name} when valid; otherwise says what a queue name may contain. */
  public static String check(String name) {
    return Names.check("queue name", name);
  }
}
