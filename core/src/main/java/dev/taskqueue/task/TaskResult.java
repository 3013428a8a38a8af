package dev.taskqueue.task;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * What a task returned, as stored: valid UTF-8 is kept as text ({@code utf-8}); any other bytes are
 * kept base64-encoded ({@code base64}), so binary results survive the trip through Redis.
 *
 * @param stored the text in the {@code result} field
 * @param encoding the {@code result_encoding} field: {@code utf-8} or {@code base64}
 */
public record TaskResult(String stored, String encoding) {
  public static final String UTF_8 = "utf-8";
  public static final String BASE64 = "base64";

  /** U+FFFD, which decoding puts where bytes are not UTF-8, and which valid UTF-8 may hold too. */
  private static final char REPLACEMENT = '\uFFFD';

  /**
   * {@code bytes} as text when they are valid UTF-8, else base64. Decoded by the JDK's own fast
   * path (a plain copy for ASCII) rather than by a strict decoder made per call, which was the
   * slots' largest own cost in a fresh drain: bytes that are not UTF-8 decode with U+FFFD in their
   * place, so text without it was valid, and text with it is checked by encoding it back.
   */
  public static TaskResult of(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.indexOf(REPLACEMENT) < 0
        || Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
      return new TaskResult(text, UTF_8);
    }
    return new TaskResult(Base64.getEncoder().encodeToString(bytes), BASE64);
  }

  /** The bytes the task returned. */
  public byte[] bytes() {
    return BASE64.equals(encoding)
        ? Base64.getDecoder().decode(stored)
        : stored.getBytes(StandardCharsets.UTF_8);
  }
}
