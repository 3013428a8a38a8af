package dev.taskqueue.registry;

import dev.taskqueue.sandbox.InvalidModuleException;
import dev.taskqueue.sandbox.WatAssembler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells a WebAssembly binary from WebAssembly text, so that an upload may be either, and assembles
 * text.
 *
 * <p>The rule: bytes that start with the binary magic {@code \0asm} are binary, whatever the file
 * is called. Any other file named {@code *.wat} is text. A file with another name is text too when
 * it looks like it: no NUL byte near the start, and the first character after blanks and {@code ;;}
 * comments is {@code (}, as every WAT module begins with {@code (module}. Sniffing the content
 * means a text module saved as {@code .wasm} gets the assembler's line:column error instead of "bad
 * magic". Anything else is neither, and is refused here with a message that says what was expected.
 */
final class ModuleFormat {
  private static final byte[] MAGIC = {0, 'a', 's', 'm'};
  private static final int SNIFFED_BYTES = 4096;

  private ModuleFormat() {}

  /** The module binary of {@code input}: itself when binary, assembled when text. */
  static byte[] toBinary(byte[] input, String source) {
    if (isBinary(input)) {
      return input;
    }
    if (isText(input, source)) {
      return WatAssembler.assemble(text(input), source);
    }
    throw new InvalidModuleException(
        source
            + " is not a valid WebAssembly module: a binary starts with the bytes \\0asm and text"
            + " with '(module'; upload the .wasm file your compiler wrote (target wasm32-wasi) or a"
            + " .wat file (see docs/abi.md)");
  }

  /** Whether {@code input} is WebAssembly text, by the rule in the class comment. */
  static boolean isText(byte[] input, String source) {
    if (isBinary(input)) {
      return false;
    }
    return source.toLowerCase(Locale.ROOT).endsWith(".wat") || looksLikeText(input);
  }

  private static boolean isBinary(byte[] input) {
    if (input.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (input[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeText(byte[] input) {
    for (int i = 0; i < Math.min(input.length, SNIFFED_BYTES); i++) {
      if (input[i] == 0) {
        return false;
      }
    }
    String text = text(input);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith(";;", i)) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end + 1;
      } else {
        return c == '(';
      }
    }
    return false;
  }

  /** UTF-8, without the byte-order mark some editors write, which wat2wasm would reject. */
  private static String text(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
