package dev.taskqueue.module;

import dev.taskqueue.task.Names;

/**
 * Checks task names. A task name is the name its module was uploaded under: submitting task {@code
 * greeter} runs the newest version of module {@code greeter}.
 */
public final class ModuleName {
  private ModuleName() {}

  public static String check(String name) {
    return Names.check("task name", name);
  }
}
