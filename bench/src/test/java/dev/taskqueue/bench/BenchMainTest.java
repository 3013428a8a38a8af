package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.error.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bench's options that are checked before it starts anything. */
class BenchMainTest {
  @Test
  void aLogLevelTheProcessesWouldRefuseStopsItBeforeItStartsAnything() {
    String said = refused("drain", "--log-level", "loud");

    assertTrue(said.contains("--log-level") && said.contains("warn"), said);
  }

  @Test
  void aLogFormatTheProcessesWouldRefuseStopsItBeforeItStartsAnything() {
    String said = refused("drain", "--log-format", "xml");

    assertTrue(said.contains("--log-format") && said.contains("json"), said);
  }

  @Test
  void countsBelowOneStopItBeforeItStartsAnythingAndNameTheOption() {
    assertEquals(
        "bench: --tasks 0: give a whole number of at least 1\n", refused("drain", "--tasks", "0"));
    assertEquals(
        "bench: --tasks -5: give a whole number of at least 1\n",
        refused("scheduled", "--tasks", "1000", "--tasks", "-5"));
    assertEquals(
        "bench: --concurrency 0: give a whole number of at least 1\n",
        refused("drain", "--concurrency", "0"));
    assertEquals(
        "bench: --rounds 0: give a whole number of at least 1\n",
        refused("drain", "--rounds", "0"));
  }

  /** Rounds of the other scenarios would be ignored: said, rather than done silently. */
  @Test
  void roundsWithNeitherTheDrainNorTheLatencyAreRefusedBeforeItStartsAnything() {
    assertEquals(
        "bench: --rounds 3: only the drain and the latency run in rounds; name one of them among"
            + " the scenarios\n",
        refused("submit", "flow", "--rounds", "3"));
  }

  /** What the bench said on standard error, having exited as for invalid input. */
  private static String refused(String... args) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.run(new BenchMain(), args);
    } finally {
      System.setErr(originalErr);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCode.INVALID_INPUT.code(), code, said);
    return said;
  }
}
