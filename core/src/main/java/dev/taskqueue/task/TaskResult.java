package dev.taskqueue.task;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

  public static TaskResult of(byte[] bytes) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return new TaskResult(text, UTF_8);
    } catch (CharacterCodingException e) {
      return new TaskResult(Base64.getEncoder().encodeToString(bytes), BASE64);
    }
  }

  /** The bytes the task returned. */
  public byte[] bytes() {
    return BASE64.equals(encoding)
        ? Base64.getDecoder().decode(stored)
        : stored.getBytes(StandardCharsets.UTF_8);
  }
}
