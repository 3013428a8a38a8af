package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every launcher in bin/ starts its executable, which answers --help and --version. */
class ExecutablesIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"producer", "registry", "worker", "scheduler", "reaper", "bench"})
  void answersHelpAndVersion(String name) {
    Executables bin = new Executables(Map.of(), dir);

    Result help = bin.run(name, "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.stdout().startsWith("Usage: " + name), help.toString());

    Result version = bin.run(name, "--version");
    assertEquals(0, version.exitCode(), version.toString());
    assertTrue(version.stdout().startsWith("task-queue 0."), version.toString());
  }

  @Test
  void aWorkerWhoseLeasesWouldExpireBetweenHeartbeatsRefusesToStart() {
    Result result =
        new Executables(Map.of(), dir)
            .run(
                "worker",
                "",
                Map.of(
                    "TASK_QUEUE_LEASE_DURATION", "1s", "TASK_QUEUE_HEARTBEAT_INTERVAL", "800ms"));

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(
        result
            .stderr()
            .contains(
                "TASK_QUEUE_LEASE_DURATION (1s) must be at least twice"
                    + " TASK_QUEUE_HEARTBEAT_INTERVAL (800ms)"),
        result.toString());
  }

  @Test
  void aReaperWithAnUnreadableRetentionRefusesToStart() {
    Result result =
        new Executables(Map.of(), dir)
            .run("reaper", "", Map.of("TASK_QUEUE_KEEP_DEAD_FOR", "forever"));

    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("TASK_QUEUE_KEEP_DEAD_FOR"), result.toString());
    assertEquals(1, result.stderr().strip().lines().count(), "one line: " + result.stderr());
  }
}
