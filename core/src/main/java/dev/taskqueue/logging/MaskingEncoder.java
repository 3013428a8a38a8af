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
    if (line == null || !containsAt(line)) {
      return line;
    }
    String text = new String(line, StandardCharsets.UTF_8);
    String masked = Credentials.maskIn(text);
    return masked.equals(text) ? line : masked.getBytes(StandardCharsets.UTF_8);
  }

  /** Most lines hold no '@', and so no credentials: they are passed on without decoding. */
  private static boolean containsAt(byte[] line) {
    for (byte b : line) {
      if (b == '@') {
        return true;
      }
    }
    return false;
  }
}
