package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
