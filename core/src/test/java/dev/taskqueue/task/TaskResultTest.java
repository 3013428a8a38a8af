package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TaskResultTest {
  @Test
  void asciiAndOtherValidUtf8AreKeptAsText() {
    for (String text : new String[] {"", "{\"ok\":true}", "héllo wörld", "日本語", "\uD83D\uDE00"}) {
      TaskResult result = TaskResult.of(text.getBytes(StandardCharsets.UTF_8));

      assertEquals(new TaskResult(text, TaskResult.UTF_8), result);
    }
  }

  @Test
  void validUtf8HoldingTheReplacementCharacterIsStillText() {
    String text = "before \uFFFD after";

    TaskResult result = TaskResult.of(text.getBytes(StandardCharsets.UTF_8));

    assertEquals(new TaskResult(text, TaskResult.UTF_8), result);
  }

  @Test
  void bytesThatAreNotUtf8AreKeptAsBase64AndComeBackWhole() {
    byte[][] cases = {
      {(byte) 0xff, 0, 1, 2},
      {'a', (byte) 0xc3}, // a sequence cut short
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a lone surrogate, encoded
      {(byte) 0xc0, (byte) 0x80}, // an overlong NUL
      {(byte) 0xef, (byte) 0xbf, (byte) 0xbd, (byte) 0xfe} // a real U+FFFD, then a bad byte
    };
    for (byte[] bytes : cases) {
      TaskResult result = TaskResult.of(bytes);

      assertEquals(TaskResult.BASE64, result.encoding());
      assertArrayEquals(bytes, result.bytes());
    }
  }
}
