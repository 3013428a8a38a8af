package dev.taskqueue.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns what a guest writes to one stream into lines, each handed to a consumer as it completes
 * (without its newline). {@link #close()} hands over a last line that lacks a newline. Invalid
 * UTF-8 becomes U+FFFD; very long lines are cut so one line cannot hold the worker's memory. The
 * attempt's {@link OutputCap} decides which lines are kept: past it, what the guest writes is only
 * counted, not even split into lines.
 */
public final class LineOutputStream extends OutputStream {
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> lines;
  private final OutputCap cap;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  /** Lines with no cap on them. */
  public LineOutputStream(Consumer<String> lines) {
    this(lines, OutputCap.unlimited());
  }

  public LineOutputStream(Consumer<String> lines, OutputCap cap) {
    this.lines = lines;
    this.cap = cap;
  }

  @Override
  public synchronized void write(int b) {
    if (cap.reached()) {
      cap.cut(1);
    } else if (b == '\n') {
      emit(1);
    } else if (current.size() < MAX_LINE_BYTES) {
      current.write(b);
    } else {
      cap.cut(1);
    }
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end && !cap.reached(); i++) {
      if (data[i] == '\n') {
        append(data, start, i - start);
        emit(1);
        start = i + 1;
      }
    }
    if (cap.reached()) {
      cap.cut(current.size() + (long) (end - start));
      current.reset();
    } else {
      append(data, start, end - start);
    }
  }

  @Override
  public synchronized void close() {
    if (current.size() > 0) {
      emit(0);
    }
  }

  private void append(byte[] data, int offset, int length) {
    int taken = Math.max(0, Math.min(MAX_LINE_BYTES - current.size(), length));
    current.write(data, offset, taken);
    if (taken < length) {
      cap.cut(length - taken);
    }
  }

  /** The line so far is complete; {@code newline} is 1 when a newline ended it. */
  private void emit(int newline) {
    int bytes = current.size();
    if (!cap.admit(bytes)) {
      cap.cut(bytes + (long) newline);
      current.reset();
      return;
    }
    String line = current.toString(StandardCharsets.UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    current.reset();
    lines.accept(line);
  }
}
