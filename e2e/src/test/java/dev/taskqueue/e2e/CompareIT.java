package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * bin/compare installs Bee-Queue and BullMQ where they are missing and runs task-queue's bench
 * scenarios beside the same work done by both, each library on a redis-server of its own.
 */
class CompareIT {
  private static final List<String> LIBRARIES = List.of("task-queue", "bee-queue", "bullmq");

  private static final Set<String> SCENARIOS =
      Set.of(
          "submit single, 1 thread",
          "submit batch",
          "drain",
          "drain, last 3/4 (warm)",
          "flow",
          "latency submit-to-start 100/s");

  @TempDir Path dir;

  @Test
  void everyLibraryReportsEveryScenario() {
    Executables executables = new Executables(Map.of(), dir);
    // The first run installs the libraries (npm ci), which the timed run below should not wait on.
    assertEquals(0, executables.run("compare", "--help").exitCode());

    Result run =
        executables.run(
            "compare",
            "--tasks",
            "300",
            "--rate",
            "100",
            "--for",
            "1s",
            "--concurrency",
            "8",
            "--json");

    assertEquals(0, run.exitCode(), run.toString());
    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> rows = run.stdout().strip().lines().map(json::readTree).toList();
    for (String library : LIBRARIES) {
      List<JsonNode> own =
          rows.stream().filter(r -> r.path("library").asString().equals(library)).toList();
      assertEquals(
          SCENARIOS,
          own.stream().map(r -> r.path("scenario").asString()).collect(Collectors.toSet()),
          library + ": " + run.stdout());
      for (JsonNode row : own) {
        assertTrue(row.path("per_s").asDouble() > 0, row.toString());
      }
      JsonNode drain = scenario(own, "drain");
      assertEquals(300, drain.path("tasks").asInt(), drain.toString());
      // A claim or a fetch, an ending, and a share of the rest: never none, never hundreds.
      double commands = drain.path("redis_cmds_per_task").asDouble();
      assertTrue(commands > 1 && commands < 100, drain.toString());
      assertTrue(drain.path("worker_cpu_us_per_task").asDouble() > 0, drain.toString());
      JsonNode latency = scenario(own, "latency submit-to-start 100/s");
      assertEquals(100, latency.path("tasks").asInt(), latency.toString());
      double p50 = latency.path("p50_ms").asDouble();
      // Each job started after it was submitted, and well within the run.
      assertTrue(p50 > 0 && p50 <= latency.path("p99_ms").asDouble(), latency.toString());
      assertTrue(latency.path("max_ms").asDouble() < 1000, latency.toString());
    }
  }

  @Test
  void aBadFlagIsNamedWithTheUsageAndExitCodeTwo() {
    Result run = new Executables(Map.of(), dir).run("compare", "--libraries", "celery");

    assertEquals(2, run.exitCode(), run.toString());
    assertTrue(
        run.stderr().contains("--libraries 'celery': give some of task-queue, bee-queue, bullmq"),
        run.stderr());
    assertTrue(run.stderr().contains("Usage: bin/compare"), run.stderr());
  }

  @Test
  void aRedisThatDoesNotAnswerIsNamedWithExitCodeThree() {
    // Nothing listens on port 1: BullMQ's client would retry it for ever, so the run asks first.
    Result run =
        new Executables(Map.of(), dir)
            .run(
                "compare",
                "",
                Map.of("REDIS_URL", "redis://127.0.0.1:1/0"),
                "--libraries",
                "bullmq",
                "--scenarios",
                "submit");

    assertEquals(3, run.exitCode(), run.toString());
    assertTrue(
        run.stderr().contains("Redis at redis://127.0.0.1:1/0 did not answer"), run.stderr());
  }

  private static JsonNode scenario(List<JsonNode> rows, String name) {
    return rows.stream()
        .filter(r -> r.path("scenario").asString().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
