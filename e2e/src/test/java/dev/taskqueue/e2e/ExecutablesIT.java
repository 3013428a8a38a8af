package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every launcher in bin/ starts its executable, which answers --help and --version. */
class ExecutablesIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"producer", "registry", "worker", "scheduler", "reaper"})
  void answersHelpAndVersion(String name) {
    Executables bin = new Executables(Map.of(), dir);

    Result help = bin.run(name, "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.stdout().startsWith("Usage: " + name), help.toString());

    Result version = bin.run(name, "--version");
    assertEquals(0, version.exitCode(), version.toString());
    assertTrue(version.stdout().startsWith("task-queue 0."), version.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"scheduler", "reaper"})
  void executablesNotBuiltYetSaySoAndFail(String name) {
    Result result = new Executables(Map.of(), dir).run(name);

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.stderr().startsWith(name + ": not built yet"), result.toString());
  }
}
