package dev.taskqueue.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns what a guest writes to one stream into lines, each handed to a consumer as it completes
 * (without its newline). {@link #close()} hands over a last line that lacks a newline. Invalid
 * UTF-8 becomes U+FFFD; very long lines are cut so one line cannot hold the worker's memory.
 */
public final class LineOutputStream extends OutputStream {
  static final int MAX_LINE_BYTES = 64 * 1024;

  private final Consumer<String> lines;
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();

  public LineOutputStream(Consumer<String> lines) {
    this.lines = lines;
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      emit();
    } else if (current.size() < MAX_LINE_BYTES) {
      current.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] data, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (data[i] == '\n') {
        append(data, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(data, start, end - start);
  }

  @Override
  public synchronized void close() {
    if (current.size() > 0) {
      emit();
    }
  }

  private void append(byte[] data, int offset, int length) {
    int room = MAX_LINE_BYTES - current.size();
    current.write(data, offset, Math.max(0, Math.min(room, length)));
  }

  private void emit() {
    String line = current.toString(StandardCharsets.UTF_8);
    if (line.endsWith("\r")) {
      line = line.substring(0, line.length() - 1);
    }
    current.reset();
    lines.accept(line);
  }
}
