package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineOutputStreamTest {
  @Test
  void splitsWritesIntoLinesWhateverTheChunking() throws Exception {
    List<String> lines = new ArrayList<>();
    LineOutputStream out = new LineOutputStream(lines::add);

    out.write("hel".getBytes(StandardCharsets.UTF_8));
    out.write("lo\nwor".getBytes(StandardCharsets.UTF_8));
    out.write('l');
    out.write("d\r\n\nlast".getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("hello", "world", ""), lines);

    out.close();
    assertEquals(List.of("hello", "world", "", "last"), lines);
  }

  @Test
  void cutsOverlongLines() {
    List<String> lines = new ArrayList<>();
    LineOutputStream out = new LineOutputStream(lines::add);

    out.write(
        new byte[LineOutputStream.MAX_LINE_BYTES + 10], 0, LineOutputStream.MAX_LINE_BYTES + 10);
    out.write('\n');

    assertEquals(LineOutputStream.MAX_LINE_BYTES, lines.get(0).length());
  }
}
