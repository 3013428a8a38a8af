package dev.taskqueue.sandbox;

/**
 * How much of one attempt's output its log keeps: stdout and stderr together, each line counted
 * with {@value #LINE_OVERHEAD} bytes more for the time and stream its log line carries, so that a
 * flood of empty lines fills the cap as surely as long ones. The first line that does not fit
 * reaches the cap: it and everything written after it are dropped and only counted, so a guest that
 * floods its output costs the worker a counter, not a file. The guest is not told and goes on.
 *
 * <p>Shared by an attempt's two {@link LineOutputStream}s; safe between threads.
 */
public final class OutputCap {
  /** What a log line adds to the guest's text: its time, its stream, two spaces and a newline. */
  public static final int LINE_OVERHEAD = 40;

  private final long maxBytes;
  private final String source;
  private long kept;
  private long cut;
  private boolean reached;

  /** The worker's cap of {@code maxBytes} over both streams, per-line overhead included. */
  public OutputCap(long maxBytes) {
    this(maxBytes, "TASK_QUEUE_MAX_OUTPUT_BYTES");
  }

  /** A cap of {@code maxBytes}, set by {@code source} (named when the cap is reached). */
  public OutputCap(long maxBytes, String source) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("an output cap cannot be negative: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.source = source;
  }

  /** No cap: for output that goes nowhere a user reads it from (tests, tools). */
  public static OutputCap unlimited() {
    return new OutputCap(Long.MAX_VALUE);
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** What set the cap: {@code TASK_QUEUE_MAX_OUTPUT_BYTES}, or the module's own. */
  public String source() {
    return source;
  }

  /** Whether a line of {@code lineBytes} may be kept; once one may not, none may. */
  synchronized boolean admit(int lineBytes) {
    if (!reached && lineBytes + LINE_OVERHEAD <= maxBytes - kept) {
      kept += lineBytes + LINE_OVERHEAD;
      return true;
    }
    reached = true;
    return false;
  }

  synchronized boolean reached() {
    return reached;
  }

  /** Counts {@code bytes} of output the log does not keep. */
  synchronized void cut(long bytes) {
    cut += bytes;
  }

  /** The bytes the guest wrote that the log did not keep, newlines included. */
  public synchronized long cutBytes() {
    return cut;
  }
}
