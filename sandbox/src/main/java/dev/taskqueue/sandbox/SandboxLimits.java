package dev.taskqueue.sandbox;

/**
 * What one task instance may use.
 *
 * @param maxMemoryPages linear memory cap in 64 KiB pages; a module's own lower cap still holds
 * @param maxResultBytes largest result {@code execute} may return
 * @param maxTableElements elements all its tables may hold together, at the start and after {@code
 *     table.grow}
 */
public record SandboxLimits(int maxMemoryPages, long maxResultBytes, long maxTableElements) {
  public SandboxLimits {
    if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
      throw new IllegalArgumentException("bug: memory pages " + maxMemoryPages + " not checked");
    }
  }

  /** Limits with the table cap every module was validated against. */
  public SandboxLimits(int maxMemoryPages, long maxResultBytes) {
    this(maxMemoryPages, maxResultBytes, ModuleLimits.DEFAULTS.maxTableElements());
  }
}
