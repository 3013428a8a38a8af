package dev.taskqueue.producer;

import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where {@code producer submit} gets its payload: the text of {@code --payload}, a file ({@code
 * --payload @FILE}), or standard input ({@code --payload -}, or no {@code --payload}). A file or
 * stream is read up to one byte past the limit and no further, so an oversized or endless input is
 * refused without being held in memory. The JSON itself is checked later, with the rest.
 */
final class PayloadInput {
  private static final String STDIN = "-";
  private static final String STDIN_SUBJECT = "payload on standard input";

  private PayloadInput() {}

  static String read(String flag, long maxBytes) {
    if (flag == null || flag.equals(STDIN)) {
      return decode(readAtMost(System.in, maxBytes, STDIN_SUBJECT), STDIN_SUBJECT);
    }
    if (flag.startsWith("@")) {
      return readFile(flag.substring(1), maxBytes);
    }
    return flag;
  }

  private static String readFile(String name, long maxBytes) {
    Path file = path(name);
    String what = "payload file '" + file + "'";
    // Not "is a regular file": --payload @<(command) names a pipe, and that is fine to read.
    if (!Files.exists(file)) {
      throw new InvalidInputException(
          what + " does not exist: check the path after '@', or pass --payload - for stdin");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(
          what + " is a directory: name the file that holds the JSON payload");
    }
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > maxBytes) {
        throw tooLarge(what + " is " + size + " bytes", maxBytes);
      }
      return decode(readAtMost(in, maxBytes, what), what);
    } catch (AccessDeniedException e) {
      throw new InvalidInputException("cannot read " + what + ": permission denied", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private static Path path(String name) {
    if (name.isEmpty()) {
      throw new InvalidInputException(
          "--payload @ needs a file name after '@', e.g. --payload @payload.json");
    }
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      throw new InvalidInputException("payload file '" + name + "' is not a valid path", e);
    }
  }

  private static byte[] readAtMost(InputStream in, long maxBytes, String what) {
    byte[] bytes;
    try {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + what + ": " + e.getMessage(), e);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(what + " is more than " + maxBytes + " bytes", maxBytes);
    }
    return bytes;
  }

  private static InvalidInputException tooLarge(String size, long maxBytes) {
    return new InvalidInputException(
        size + "; the limit is " + maxBytes + " (" + Settings.MAX_PAYLOAD_BYTES.name() + ")");
  }

  /** Strictly: a byte that is not UTF-8 would otherwise be replaced and the payload changed. */
  private static String decode(byte[] bytes, String what) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(buffer)
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(
          what
              + " is not UTF-8 text (bad byte at offset "
              + buffer.position()
              + "): JSON payloads must be UTF-8",
          e);
    }
  }
}
