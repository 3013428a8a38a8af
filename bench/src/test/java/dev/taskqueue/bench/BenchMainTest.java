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
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.run(new BenchMain(), "drain", "--log-level", "loud");
    } finally {
      System.setErr(originalErr);
    }

    assertEquals(ExitCode.INVALID_INPUT.code(), code);
    String said = err.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("--log-level") && said.contains("warn"), said);
  }
}
