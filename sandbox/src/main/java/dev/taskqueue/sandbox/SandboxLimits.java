package dev.taskqueue.sandbox;

import dev.taskqueue.task.TaskLimits;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What one task instance may use, and where each cap came from, for the message a task gets when it
 * hits one.
 *
 * @param maxMemoryPages linear memory cap in 64 KiB pages; a module's own lower cap still holds
 * @param maxResultBytes largest result {@code execute} may return
 * @param maxTableElements elements all its tables may hold together, at the start and after {@code
 *     table.grow}
 * @param memoryPagesSource what set {@code maxMemoryPages}, e.g. {@code
 *     TASK_QUEUE_MAX_MEMORY_PAGES}
 * @param resultBytesSource what set {@code maxResultBytes}
 */
public record SandboxLimits(
    int maxMemoryPages,
    long maxResultBytes,
    long maxTableElements,
    String memoryPagesSource,
    String resultBytesSource) {
  public SandboxLimits {
    if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
      throw new IllegalArgumentException("bug: memory pages " + maxMemoryPages + " not checked");
    }
  }

  /**
   * A worker's limits, from its settings, with the table cap every module was validated against.
   */
  public SandboxLimits(int maxMemoryPages, long maxResultBytes) {
    this(maxMemoryPages, maxResultBytes, ModuleLimits.DEFAULTS.maxTableElements());
  }

  /** A worker's limits, from its settings. */
  public SandboxLimits(int maxMemoryPages, long maxResultBytes, long maxTableElements) {
    this(
        maxMemoryPages,
        maxResultBytes,
        maxTableElements,
        "TASK_QUEUE_MAX_MEMORY_PAGES",
        "TASK_QUEUE_MAX_RESULT_BYTES");
  }

  /**
   * These limits, lowered where {@code whose} own ("the module's", "the task's") are lower, never
   * raised (the worker's maxima win); a cap hit then names them, e.g. "the task's --max-result".
   */
  public SandboxLimits lowered(TaskLimits own, String whose) {
    OptionalInt memoryPages = own.memoryPages();
    OptionalLong resultBytes = own.maxResultBytes();
    boolean pages = memoryPages.isPresent() && memoryPages.getAsInt() < maxMemoryPages;
    boolean result = resultBytes.isPresent() && resultBytes.getAsLong() < maxResultBytes;
    if (!pages && !result) {
      return this;
    }
    return new SandboxLimits(
        pages ? memoryPages.getAsInt() : maxMemoryPages,
        result ? resultBytes.getAsLong() : maxResultBytes,
        maxTableElements,
        pages ? whose + " --memory-pages" : memoryPagesSource,
        result ? whose + " --max-result" : resultBytesSource);
  }
}
