package dev.taskqueue.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.taskqueue.config.Credentials;
import java.nio.charset.StandardCharsets;

/**
 * Wraps the encoder of the process's log lines (pretty or JSON, UTF-8) and masks the password of
 * every URL in what it writes: message, key-value pairs, task fields and stack traces alike, from
 * our code, from libraries and from a task's mirrored output. The delegate comes started.
 */
final class MaskingEncoder extends EncoderBase<ILoggingEvent> {
  private final Encoder<ILoggingEvent> delegate;

  MaskingEncoder(Encoder<ILoggingEvent> delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] headerBytes() {
    return mask(delegate.headerBytes());
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return mask(delegate.encode(event));
  }

  @Override
  public byte[] footerBytes() {
    return mask(delegate.footerBytes());
  }

  @Override
  public void stop() {
    super.stop();
    delegate.stop();
  }

  private static byte[] mask(byte[] line) {
    if (line == null || !mayHoldCredentials(line)) {
      return line;
    }
    String text = new String(line, StandardCharsets.UTF_8);
    String masked = Credentials.maskIn(text);
    return masked.equals(text) ? line : masked.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether {@code line} may hold a URL's password ({@code scheme://user:password@}): an {@code @}
   * after a {@code ://}. Other lines are passed on without being decoded and searched. Not an
   * {@code @} alone: every JSON line holds one ({@code @timestamp}), and searching them cost a
   * fresh drain with the worker at {@code info} in JSON more than a quarter of its rate
   * (docs/benchmarks-journal.md). The bytes compared are ASCII, which no multi-byte UTF-8 character
   * contains.
   */
  static boolean mayHoldCredentials(byte[] line) {
    for (int i = 2; i < line.length; i++) {
      if (line[i] == '/' && line[i - 1] == '/' && line[i - 2] == ':') {
        for (int j = i + 1; j < line.length; j++) {
          if (line[j] == '@') {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }
}
