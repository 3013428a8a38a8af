package dev.taskqueue.producer;

import java.nio.charset.StandardCharsets;

/**
 * Standard output as bytes. Text goes out as UTF-8 whatever the platform's default, so what a
 * script reads is what was stored; a binary result goes out as its raw bytes.
 */
final class Stdout {
  private Stdout() {}

  static void print(String text) {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  static void write(byte[] bytes) {
    System.out.write(bytes, 0, bytes.length);
    System.out.flush();
  }
}
