package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox scenario runs real modules in this process (the checksum on a small buffer, to keep
 * the interpreter quick) and reports one row per variant; every result was checked on the way.
 */
class SandboxScenarioTest {
  /** Tests run in bench/; the checkout holds the no-op module. */
  private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

  @Test
  void measuresEveryVariantAndChecksTheGuestsAgainstPlainJava() throws Exception {
    List<Row> rows = new SandboxScenario(HOME, 50, 2, 16 * 1024).run();

    assertEquals(
        List.of(
            "sandbox no-op compiled",
            "sandbox no-op interpreted",
            "sandbox checksum java",
            "sandbox checksum first task",
            "sandbox checksum compiled",
            "sandbox checksum interpreted"),
        rows.stream().map(Row::scenario).toList());
    assertEquals(List.of(50, 50, 2, 1, 2, 1), rows.stream().map(Row::tasks).toList());
    for (Row row : rows) {
      double p50 = row.p50Ms().orElseThrow();
      assertTrue(p50 > 0 && p50 <= row.maxMs().orElseThrow(), row.toString());
      assertTrue(row.perSecond().orElseThrow() > 0, row.toString());
    }
  }

  @Test
  void jsonKeepsOneObjectPerRowWithMillisecondsToTheMicrosecond() {
    OptionalDouble micros = OptionalDouble.of(0.0234567);
    Row row =
        new Row(
            "sandbox no-op compiled",
            1,
            0,
            1,
            false,
            0.1,
            OptionalDouble.of(10),
            micros,
            micros,
            micros,
            OptionalDouble.empty(),
            Map.of());

    String json = printed(new Report(true), row);

    List<String> lines = json.strip().lines().toList();
    assertEquals(1, lines.size(), json);
    JsonNode object = JsonMapper.builder().build().readTree(lines.get(0));
    assertEquals("sandbox no-op compiled", object.path("scenario").asString());
    assertEquals(0.023, object.path("p50_ms").asDouble());
    assertTrue(printed(new Report(false), row).contains(" 0.023 "), "the table too");
  }

  private static String printed(Report report, Row row) {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      report.print(row);
    } finally {
      System.setOut(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
