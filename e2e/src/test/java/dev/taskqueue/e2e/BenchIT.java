package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** bin/bench runs from nothing (its own redis-server) and reports what its scenarios measured. */
class BenchIT {
  @TempDir Path dir;

  @Test
  void aSmallScheduledRunPrintsOneJsonObjectPerScenario() {
    Result run =
        new Executables(Map.of(), dir)
            .run(
                "bench",
                "scheduled",
                "--tasks",
                "20",
                "--rate",
                "20",
                "--for",
                "1s",
                "--concurrency",
                "4",
                "--json");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(2, lines.size(), run.stdout());
    JsonMapper json = JsonMapper.builder().build();
    JsonNode burst = json.readTree(lines.get(0));
    assertEquals("scheduled 20 at once", burst.path("scenario").asString());
    assertEquals(20, burst.path("tasks").asInt());
    for (String key :
        List.of(
            "workers", "concurrency", "logs", "seconds", "per_s", "p50_ms", "p99_ms", "max_ms")) {
      assertTrue(burst.has(key), key + " in " + lines.get(0));
    }
    assertTrue(burst.path("p50_ms").asDouble() >= 0, "nothing started before it was due");
    assertEquals("scheduled stream 20/s", json.readTree(lines.get(1)).path("scenario").asString());
  }

  @Test
  void submitAndDrainReportThroughputAndRedisCommandsPerTask(@TempDir Path tmp) throws Exception {
    // The bench's folder (its processes' logs) goes where java.io.tmpdir says; the workers' rows
    // say which JVM options they were given.
    Result run =
        new Executables(
                Map.of(
                    "TASK_QUEUE_JAVA_OPTS",
                    "-Djava.io.tmpdir=" + tmp,
                    "TASK_QUEUE_WORKER_JAVA_OPTS",
                    "-Xss1m"),
                dir)
            .run("bench", "submit", "drain", "--tasks", "200", "--concurrency", "8", "--json");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(7, lines.size(), run.stdout());
    JsonMapper json = JsonMapper.builder().build();
    JsonNode submit = json.readTree(lines.get(0));
    assertEquals("submit single, 1 thread", submit.path("scenario").asString());
    assertTrue(submit.path("per_s").asDouble() > 0, lines.get(0));
    JsonNode batch = json.readTree(lines.get(1));
    assertEquals("submit batch (submitAll)", batch.path("scenario").asString());
    assertEquals(200, batch.path("tasks").asInt());
    assertTrue(batch.path("per_s").asDouble() > 0, lines.get(1));
    // The CLI's batch: its own JVM, which checked and wrote every line (the bench counts them).
    JsonNode cli = json.readTree(lines.get(2));
    assertEquals("submit batch (producer CLI)", cli.path("scenario").asString());
    assertEquals(200, cli.path("tasks").asInt());
    assertTrue(cli.path("per_s").asDouble() > 0, lines.get(2));
    // The first two again once the bench's JIT is done, with how long its warm-up took: three
    // rounds of a second at least for the single submits.
    JsonNode warmSingle = json.readTree(lines.get(3));
    assertEquals("submit single, 1 thread, warm", warmSingle.path("scenario").asString());
    assertEquals(200, warmSingle.path("tasks").asInt());
    assertTrue(warmSingle.path("per_s").asDouble() > 0, lines.get(3));
    assertTrue(warmSingle.path("warm_up_s").asDouble() >= 3, lines.get(3));
    JsonNode warmBatch = json.readTree(lines.get(4));
    assertEquals("submit batch (submitAll), warm", warmBatch.path("scenario").asString());
    assertEquals(200, warmBatch.path("tasks").asInt());
    assertTrue(warmBatch.path("per_s").asDouble() > 0, lines.get(4));
    assertTrue(warmBatch.has("warm_up_s"), lines.get(4));
    JsonNode drain = json.readTree(lines.get(5));
    assertEquals("warn", drain.path("log_level").asString(), lines.get(5));
    assertEquals("pretty", drain.path("log_format").asString(), lines.get(5));
    assertEquals(
        "-Djava.io.tmpdir=" + tmp + " -Xss1m",
        drain.path("worker_java_opts").asString(),
        lines.get(5));
    assertEquals("drain", drain.path("scenario").asString());
    assertEquals(200, drain.path("tasks").asInt());
    // A claim, a script to end it, and a share of the batch reads and heartbeats: a few to a few
    // dozen commands per task, never none.
    double commands = drain.path("redis_cmds_per_task").asDouble();
    assertTrue(commands > 1 && commands < 100, lines.get(5));
    // The worker's whole CPU, its JVM's start included, and Redis's: each task cost both some.
    assertTrue(drain.path("worker_cpu_us_per_task").asDouble() > 0, lines.get(5));
    assertTrue(drain.path("redis_cpu_us_per_task").asDouble() > 0, lines.get(5));
    // A JVM's start at least, before the first task starts.
    assertTrue(drain.path("first_start_ms").asDouble() > 0, lines.get(5));
    // A fresh JVM compiles from its first second; its JIT's CPU is a part of its whole.
    double jitMs = drain.path("jit_cpu_ms").asDouble();
    double workerMs = drain.path("worker_cpu_us_per_task").asDouble() * 200 / 1000;
    assertTrue(jitMs > 0 && jitMs <= workerMs, lines.get(5));
    JsonNode warm = json.readTree(lines.get(6));
    assertEquals("drain, last 3/4 (warm)", warm.path("scenario").asString());
    assertEquals(150, warm.path("tasks").asInt());
    assertTrue(warm.path("per_s").asDouble() > 0, lines.get(6));
    // A run that finished leaves no folder behind; a failed one keeps it for its logs.
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(
          List.of(),
          left.map(path -> path.getFileName().toString())
              .filter(name -> name.startsWith("task-queue-bench-"))
              .toList());
    }
  }

  /**
   * Fresh drains and latency windows in rounds: each round's rows, then a row of their mean for
   * each, with the least and the most of the figure the target is set on.
   */
  @Test
  void drainsAndLatenciesInRoundsEndWithTheirMeans() throws Exception {
    Result run =
        new Executables(Map.of(), dir)
            .run(
                "bench",
                "drain",
                "latency",
                "--tasks",
                "100",
                "--concurrency",
                "4",
                "--rate",
                "100",
                "--for",
                "1s",
                "--rounds",
                "2",
                "--json");

    assertEquals(0, run.exitCode(), run.toString());
    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> rows = run.stdout().strip().lines().map(json::readTree).toList();
    String start = "latency submit-to-start 100/s";
    String finish = "latency submit-to-finish 100/s";
    assertEquals(
        List.of(
            "drain",
            "drain, last 3/4 (warm)",
            "drain",
            "drain, last 3/4 (warm)",
            "drain, mean of 2",
            "drain, last 3/4 (warm), mean of 2",
            start,
            finish,
            start,
            finish,
            start + ", mean of 2",
            finish + ", mean of 2"),
        rows.stream().map(row -> row.path("scenario").asString()).toList(),
        run.stdout());
    JsonNode drains = rows.get(4);
    double first = rows.get(0).path("per_s").asDouble();
    double second = rows.get(2).path("per_s").asDouble();
    assertEquals((first + second) / 2, drains.path("per_s").asDouble(), 1.0, drains.toString());
    assertEquals(Math.min(first, second), drains.path("min_per_s").asDouble(), 0.1);
    assertEquals(Math.max(first, second), drains.path("max_per_s").asDouble(), 0.1);
    assertEquals(100, drains.path("tasks").asInt(), drains.toString());
    // Each round's workers were started anew: each has a first start and its JIT's CPU.
    assertTrue(drains.path("first_start_ms").asDouble() > 0, drains.toString());
    assertTrue(drains.path("jit_cpu_ms").asDouble() > 0, drains.toString());
    JsonNode latencies = rows.get(10);
    double p99First = rows.get(6).path("p99_ms").asDouble();
    double p99Second = rows.get(8).path("p99_ms").asDouble();
    assertEquals((p99First + p99Second) / 2, latencies.path("p99_ms").asDouble(), 0.01);
    assertEquals(Math.min(p99First, p99Second), latencies.path("min_p99_ms").asDouble(), 0.01);
    assertEquals(Math.max(p99First, p99Second), latencies.path("max_p99_ms").asDouble(), 0.01);
    // Each window had its own warm-up: the mean of theirs is there too.
    assertTrue(latencies.path("warm_up_s").asDouble() >= 1, latencies.toString());
  }

  @Test
  void scriptsReportWhatEachStepOfATaskCostsRedis() {
    Result run =
        new Executables(Map.of(), dir).run("bench", "scripts", "--tasks", "1000", "--json");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(6, lines.size(), run.stdout());
    JsonMapper json = JsonMapper.builder().build();
    List<String> steps =
        List.of(
            "scripts: enqueue (batch)",
            "scripts: claim, 100 a call",
            "scripts: end completed, 100 a call",
            "scripts: enqueue, 1 a call",
            "scripts: claim, 1 a call",
            "scripts: end completed, 1 a call");
    // Commands each step runs a task at least, inside its script: enqueue EXISTS and HSET; a
    // claim HMGET and HSET; an ending HMGET, LREM, HSET and HDEL. One task a call adds what a
    // call does once (enqueue's LPUSH, a claim's record, an ending's ZREM and LPUSH).
    List<Double> fewest = List.of(2.0, 2.0, 4.0, 3.0, 3.0, 6.0);
    for (int i = 0; i < steps.size(); i++) {
      JsonNode step = json.readTree(lines.get(i));
      assertEquals(steps.get(i), step.path("scenario").asString());
      assertEquals(1000, step.path("tasks").asInt());
      assertTrue(step.path("per_s").asDouble() > 0, lines.get(i));
      double commands = step.path("redis_cmds_per_task").asDouble();
      assertTrue(commands >= fewest.get(i) && commands < 20, lines.get(i));
      double cpu = step.path("redis_cpu_us_per_task").asDouble();
      assertTrue(cpu > 0, lines.get(i));
      assertTrue(step.path("redis_cpu_us_per_task_lowest").asDouble() <= cpu, lines.get(i));
    }
  }

  @Test
  void flowAndLatencyReportEndToEndThroughputAndPercentiles() {
    Result run =
        new Executables(Map.of(), dir)
            .run(
                "bench",
                "flow",
                "latency",
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
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(3, lines.size(), run.stdout());
    JsonMapper json = JsonMapper.builder().build();
    JsonNode flow = json.readTree(lines.get(0));
    assertEquals("flow", flow.path("scenario").asString());
    assertEquals(300, flow.path("tasks").asInt());
    assertTrue(flow.path("per_s").asDouble() > 0, lines.get(0));
    assertTrue(flow.path("redis_cmds_per_task").asDouble() > 1, lines.get(0));
    // Measured once warm, as a producer and workers in service: at least two unmeasured rounds.
    assertTrue(flow.path("warm_up_s").asDouble() > 0, lines.get(0));
    // What a task of the flow cost each process on the machine: the flow is bound by the busiest.
    for (String cpu :
        List.of("worker_cpu_us_per_task", "redis_cpu_us_per_task", "bench_cpu_us_per_task")) {
      assertTrue(flow.path(cpu).asDouble() > 0, cpu + ": " + lines.get(0));
    }
    JsonNode start = json.readTree(lines.get(1));
    assertEquals("latency submit-to-start 100/s", start.path("scenario").asString());
    assertEquals(100, start.path("tasks").asInt());
    // The warm-up lasts at least the measured second and at most six; what the window cost.
    double warmUp = start.path("warm_up_s").asDouble();
    assertTrue(warmUp >= 1 && warmUp < 30, lines.get(1));
    assertTrue(start.has("jit_cpu_ms") && start.path("jit_cpu_ms").asDouble() >= 0, lines.get(1));
    assertTrue(start.path("worker_cpu_us_per_task").asDouble() > 0, lines.get(1));
    assertTrue(start.path("redis_cpu_us_per_task").asDouble() > 0, lines.get(1));
    // Per task at least its enqueue, its claim and its ending.
    assertTrue(start.path("redis_cmds_per_task").asDouble() >= 3, lines.get(1));
    JsonNode finish = json.readTree(lines.get(2));
    assertEquals("latency submit-to-finish 100/s", finish.path("scenario").asString());
    for (JsonNode row : List.of(start, finish)) {
      assertTrue(row.path("p50_ms").asDouble() >= 0, row.toString());
      assertTrue(row.path("p99_ms").asDouble() >= row.path("p50_ms").asDouble(), row.toString());
      assertTrue(row.path("max_ms").asDouble() >= row.path("p99_ms").asDouble(), row.toString());
    }
    // Starts are timed to the microsecond, finishes to the whole millisecond (finished_at).
    assertTrue(
        finish.path("p50_ms").asDouble() >= start.path("p50_ms").asDouble() - 1,
        "a task finishes after it starts");
  }

  @Test
  void aSoakReportsTheWorkersHeapAndThreadsAfterEachOfTenRounds() {
    Result run =
        new Executables(Map.of(), dir)
            .run("bench", "soak", "--tasks", "200", "--concurrency", "8", "--json");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(10, lines.size(), run.stdout());
    JsonMapper json = JsonMapper.builder().build();
    for (int round = 1; round <= 10; round++) {
      JsonNode row = json.readTree(lines.get(round - 1));
      assertEquals("soak " + round * 20 + " tasks", row.path("scenario").asString());
      assertEquals(20, row.path("tasks").asInt());
      assertTrue(row.path("heap_used_mb").asDouble() > 0, row.toString());
      assertTrue(row.path("heap_after_gc_mb").asDouble() >= 0, row.toString());
      assertTrue(row.path("threads").asInt() > 8, "the slots and more: " + row);
    }
  }

  @Test
  void hostileTasksBesideAStreamOfNoOpsReportItsThroughputAndTheWorkersHeapAndThreads() {
    Result run =
        new Executables(Map.of(), dir)
            .run(
                "bench",
                "hostile",
                "--tasks",
                "48",
                "--rate",
                "100",
                "--concurrency",
                "8",
                "--json");

    assertEquals(0, run.exitCode(), run.toString());
    JsonMapper json = JsonMapper.builder().build();
    List<JsonNode> rows = run.stdout().strip().lines().map(json::readTree).toList();
    assertEquals(4 + 12, rows.size(), run.stdout());
    assertEquals("hostile: no-ops drained, before", rows.get(0).path("scenario").asString());
    JsonNode alone = rows.get(1);
    assertEquals("hostile: no-ops at 100/s alone", alone.path("scenario").asString());
    assertEquals(24, alone.path("tasks").asInt(), "the no-ops are timed, half the mix");
    assertTrue(alone.path("p99_ms").asDouble() > 0, alone.toString());
    JsonNode mix = rows.get(2);
    assertEquals(
        "hostile: no-ops at 100/s beside hostile at 100/s", mix.path("scenario").asString());
    assertEquals(24, mix.path("tasks").asInt());
    assertEquals(24, mix.path("hostile_tasks").asInt());
    double kept = mix.path("normal_vs_alone_pct").asDouble();
    double mixPerS = mix.path("per_s").asDouble();
    double alonePerS = alone.path("per_s").asDouble();
    // All three are rounded to 0.1 in the JSON: the ratio of the rounded rates is off by up to
    // 0.05 of each, relatively, and the percentage by its own 0.05.
    assertEquals(
        100 * mixPerS / alonePerS,
        kept,
        0.05 + kept * (0.05 / mixPerS + 0.05 / alonePerS) + 1e-9,
        "the no-ops' rate beside the hostile ones over alone: " + mix);
    assertTrue(mix.path("heap_after_gc_mb_after").asDouble() > 0, mix.toString());
    assertTrue(mix.path("threads_after").asInt() > 8, mix.toString());
    assertEquals("hostile: no-ops drained, after", rows.get(3).path("scenario").asString());
    assertEquals("hostile: trap alone", rows.get(4).path("scenario").asString());
  }

  @Test
  void theSandboxScenarioRunsWithoutRedisAndPrintsOneObjectPerVariant() {
    Result run =
        new Executables(Map.of("REDIS_URL", "redis://127.0.0.1:1/0"), dir)
            .run("bench", "sandbox", "--tasks", "100", "--tasks", "2", "--json");

    assertEquals(0, run.exitCode(), run.toString());
    List<String> lines = run.stdout().strip().lines().toList();
    assertEquals(6, lines.size(), run.stdout());
    JsonNode noop = JsonMapper.builder().build().readTree(lines.get(0));
    assertEquals("sandbox no-op compiled", noop.path("scenario").asString());
    assertEquals(100, noop.path("tasks").asInt());
    assertTrue(noop.path("p50_ms").asDouble() > 0, lines.get(0));
  }

  @Test
  void aStartThatFailsStopsWhatTheBenchStartedAndNamesTheWorkersLog() throws Exception {
    try (RedisServer redis = RedisServer.startEphemeral()) {
      // Four slots of 1,024 pages (64 MiB) each are more task memory than a 128 MiB heap: the
      // worker refuses to start, after the scheduler and the reaper have.
      Result run =
          new Executables(Map.of("REDIS_URL", redis.url(), "TASK_QUEUE_JAVA_OPTS", "-Xmx128m"), dir)
              .run("bench", "drain", "--tasks", "10", "--concurrency", "4");

      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(
          run.stderr().startsWith("bench: the workers did not start: worker-0 exited with code"),
          run.stderr());
      assertTrue(run.stderr().contains("worker-0.log"), run.stderr());
      try (Resp resp = Resp.connect(redis.port())) {
        // Only this connection: the scheduler's and the reaper's went with them.
        Eventually.await(
            () -> clients(resp),
            count -> count == 1,
            Duration.ofSeconds(10),
            "the bench's processes to disconnect from Redis");
      }
    }
  }

  private static long clients(Resp resp) {
    try {
      return resp.send("CLIENT", "LIST").toString().lines().count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anUnknownScenarioIsRefused() {
    Result run = new Executables(Map.of(), dir).run("bench", "nosuch");

    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(
        "bench: unknown scenario 'nosuch': the scenarios are: submit, drain, flow, latency,"
            + " scheduled, sandbox, soak, hostile, scripts",
        run.stderr().strip());
  }
}
