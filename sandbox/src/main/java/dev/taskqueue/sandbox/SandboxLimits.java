package dev.taskqueue.sandbox;

/**
 * What one task instance may use.
 *
 * @param maxMemoryPages linear memory cap in 64 KiB pages; a module's own lower cap still holds
 * @param maxResultBytes largest result {@code execute} may return
 */
public record SandboxLimits(int maxMemoryPages, long maxResultBytes) {
  public SandboxLimits {
    if (maxMemoryPages < 1 || maxMemoryPages > 65536) {
      throw new IllegalArgumentException("bug: memory pages " + maxMemoryPages + " not checked");
    }
  }
}
