package dev.taskqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MaskingEncoderTest {
  @Test
  void aJsonLineWithoutAUrlIsPassedOnAsItIs() {
    byte[] line =
        bytes("{\"@timestamp\":\"2026-12-05T07:00:00Z\",\"message\":\"task completed\"}\n");

    assertFalse(MaskingEncoder.mayHoldCredentials(line));
    assertSame(line, encode(line));
  }

  @Test
  void anAtBeforeTheOnlyUrlIsNoPassword() {
    byte[] line = bytes("{\"@timestamp\":\"t\",\"message\":\"see https://h/x é\"}\n");

    assertFalse(MaskingEncoder.mayHoldCredentials(line));
    assertSame(line, encode(line));
  }

  @Test
  void aPasswordInAUrlIsMaskedInAJsonLine() {
    String line = "{\"@timestamp\":\"t\",\"message\":\"using redis://admin:s3cret@h:1/0 é\"}\n";

    assertTrue(MaskingEncoder.mayHoldCredentials(bytes(line)));
    assertEquals(
        "{\"@timestamp\":\"t\",\"message\":\"using redis://admin:***@h:1/0 é\"}\n", masked(line));
  }

  @Test
  void aPasswordInALaterUrlIsMaskedToo() {
    assertEquals(
        "from https://h/x to redis://u:***@h:1\n",
        masked("from https://h/x to redis://u:s3cret@h:1\n"));
  }

  @Test
  void aUrlWithoutAPasswordIsLeftAsItIs() {
    byte[] line = bytes("redis://h:1 for user@example.org\n");

    assertTrue(MaskingEncoder.mayHoldCredentials(line));
    assertSame(line, encode(line));
  }

  private static byte[] encode(byte[] line) {
    MaskingEncoder encoder = new MaskingEncoder(new Fixed(line));
    return encoder.encode(new LoggingEvent());
  }

  private static String masked(String line) {
    return new String(encode(bytes(line)), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** An encoder whose every line is the one it was given. */
  private static final class Fixed extends EncoderBase<ILoggingEvent> {
    private final byte[] line;

    Fixed(byte[] line) {
      this.line = line;
    }

    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
      return line;
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
  }
}
