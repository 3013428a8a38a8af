package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

  @Test
  void countsWhatAnOverlongLineLoses() {
    OutputCap cap = OutputCap.unlimited();
    LineOutputStream out = new LineOutputStream(line -> {}, cap);

    out.write(
        new byte[LineOutputStream.MAX_LINE_BYTES + 10], 0, LineOutputStream.MAX_LINE_BYTES + 10);
    out.write('x');

    assertEquals(11, cap.cutBytes());
  }

  @Test
  void bothStreamsShareOneCapAndNothingIsKeptAfterTheFirstLineThatDoesNotFit() {
    List<String> lines = new ArrayList<>();
    // Room for "aaaa" and "bb" with their overhead, not for "cccccc" as well.
    OutputCap cap = new OutputCap(4 + 2 + 5 + 3 * OutputCap.LINE_OVERHEAD - 1);
    LineOutputStream stdout = new LineOutputStream(line -> lines.add("out " + line), cap);
    LineOutputStream stderr = new LineOutputStream(line -> lines.add("err " + line), cap);

    stdout.write("aaaa\n".getBytes(StandardCharsets.UTF_8), 0, 5);
    stderr.write("bb\ncccccc\nd\n".getBytes(StandardCharsets.UTF_8), 0, 12);
    stdout.write('e');
    stdout.write('\n');
    stdout.close();
    stderr.close();

    assertEquals(List.of("out aaaa", "err bb"), lines);
    assertEquals(7 + 2 + 2, cap.cutBytes(), "cccccc, d and e, each with its newline");
  }

  @Test
  void aFloodOfNewlinesFillsTheCapByTheirOverhead() {
    List<String> lines = new ArrayList<>();
    OutputCap cap = new OutputCap(100 * OutputCap.LINE_OVERHEAD);
    LineOutputStream out = new LineOutputStream(lines::add, cap);
    byte[] flood = new byte[1 << 20];
    Arrays.fill(flood, (byte) '\n');

    out.write(flood, 0, flood.length);
    out.write(flood, 0, flood.length);

    assertEquals(100, lines.size());
    assertEquals(2L * flood.length - 100, cap.cutBytes());
  }
}
