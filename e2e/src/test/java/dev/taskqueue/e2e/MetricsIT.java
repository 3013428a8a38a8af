package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: worker, scheduler and reaper, each a real process with {@code --metrics-port}, serve
 * {@code /metrics} that Prometheus's own parser ({@code promtool check metrics}) accepts without a
 * complaint, with the figures of what they did; {@code /healthz} and {@code /readyz} answer 200.
 */
@ExtendWith(RedisExtension.class)
class MetricsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  @Test
  void workerSchedulerAndReaperServeMetricsThatPrometheusParses(TestRedis redis) throws Exception {
    E2e e2e = new E2e(redis, dir);
    upload(e2e, E2e.sample("greeter.wasm"));
    upload(e2e, E2e.module("trap.wat"));
    upload(e2e, E2e.module("spin.wat"));
    int workerPort = RedisServer.unusedPort();
    int schedulerPort = RedisServer.unusedPort();
    int reaperPort = RedisServer.unusedPort();
    List<Process> processes = new ArrayList<>();
    try {
      processes.add(
          e2e.bin.start("worker", dir.resolve("worker.log"), "--metrics-port", "" + workerPort));
      processes.add(
          e2e.bin.start(
              "scheduler", dir.resolve("scheduler.log"), "--metrics-port", "" + schedulerPort));
      awaitReady(workerPort);
      awaitReady(schedulerPort);

      List<TaskId> ids = new ArrayList<>();
      ids.add(e2e.bin.submit("greeter", "{\"name\":\"Ada\"}"));
      ids.add(e2e.bin.submit("greeter", "{\"name\":\"Bob\"}", "--in", "1s"));
      ids.add(e2e.bin.submit("trap", "{}", "--max-retries", "0"));
      ids.add(e2e.bin.submit("spin", "{}", "--max-retries", "0", "--timeout", "200ms"));
      for (TaskId id : ids) {
        e2e.await(
            id,
            t -> t.stage() == Stage.COMPLETED || t.stage() == Stage.DEAD,
            Duration.ofSeconds(60));
      }

      // Only now: a reaper promotes due tasks too, and the scheduler's count is under test.
      processes.add(
          e2e.bin.start("reaper", dir.resolve("reaper.log"), "--metrics-port", "" + reaperPort));
      awaitReady(reaperPort);

      String worker = scrape(workerPort);
      assertEquals(2.0, value(worker, "taskqueue_tasks_started_total", "default", "greeter"));
      assertEquals(2.0, value(worker, "taskqueue_tasks_completed_total", "default", "greeter"));
      assertEquals(1.0, value(worker, "taskqueue_tasks_failed_total", "default", "trap"));
      assertEquals(1.0, value(worker, "taskqueue_tasks_dead_total", "default", "trap"));
      assertEquals(1.0, value(worker, "taskqueue_tasks_dead_total", "default", "spin"));
      assertEquals(
          2.0, value(worker, "taskqueue_task_execution_seconds_count", "default", "greeter"));
      assertEquals(4.0, value(worker, "taskqueue_task_start_delay_seconds_count", "default"));
      assertEquals(1.0, value(worker, "taskqueue_sandbox_limit_hits_total", "timeout"));
      assertEquals(0.0, value(worker, "taskqueue_sandbox_limit_hits_total", "memory"));
      assertEquals(3.0, value(worker, "taskqueue_module_cache_misses_total"), "three modules");
      assertEquals(1.0, value(worker, "taskqueue_module_cache_hits_total"), "greeter again");
      assertEquals(4.0, value(worker, "taskqueue_worker_slots"));
      assertEquals(0.0, value(worker, "taskqueue_worker_busy_slots"));
      assertTrue(worker.contains("\njvm_memory_used_bytes{"), "the JVM's own metrics too");

      String scheduler = scrape(schedulerPort);
      assertEquals(1.0, value(scheduler, "taskqueue_scheduler_promoted_total", "default"));
      assertEquals(
          1.0,
          value(scheduler, "taskqueue_scheduler_lateness_seconds_count", "promoted", "default"));

      String reaper = scrape(reaperPort);
      assertEquals(2.0, value(reaper, "taskqueue_queue_tasks", "default", "dlq"));
      assertEquals(0.0, value(reaper, "taskqueue_queue_tasks", "default", "pending"));
      assertEquals(0.0, value(reaper, "taskqueue_queue_tasks", "default", "processing"));
      assertEquals(
          2.0, value(reaper, "taskqueue_tasks_submitted_total", "default", "greeter"), "by Redis");
      assertEquals(1.0, value(reaper, "taskqueue_tasks_submitted_total", "default", "spin"));
      assertEquals(0.0, value(reaper, "taskqueue_queue_paused", "default"));
      Result pause = e2e.bin.run("producer", "pause", "default");
      assertEquals(0, pause.exitCode(), pause.stderr());
      assertEquals(1.0, value(scrape(reaperPort), "taskqueue_queue_paused", "default"));

      // The same without Prometheus: producer stats, shown again and again with --watch.
      Path watched = dir.resolve("stats.out");
      Process watch = e2e.bin.start("producer", watched, "stats", "--watch", "300ms");
      List<String> shown =
          Eventually.await(
              () -> readLines(watched),
              lines -> lines.stream().filter(l -> l.startsWith("workers: 1 alive")).count() >= 2,
              Duration.ofSeconds(60),
              "producer stats --watch showing twice");
      watch.destroy();
      assertTrue(
          shown.stream().anyMatch(l -> l.matches("default +paused +0 +0 +0 +2 +\\S+ +\\S+ +-")),
          String.join("\n", shown));
    } finally {
      Executables.terminateAll(processes);
    }
  }

  @Test
  void aTakenMetricsPortStopsTheProcessWithAClearError(TestRedis redis) throws Exception {
    E2e e2e = new E2e(redis, dir);
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Result run = e2e.bin.run("reaper", "--metrics-port", Integer.toString(taken.getLocalPort()));

      assertEquals(2, run.exitCode(), run.toString());
      assertTrue(
          run.stderr().contains("cannot serve metrics on port " + taken.getLocalPort()),
          run.toString());
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return java.nio.file.Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Waits until the process at {@code port} serves, then checks its health and readiness. */
  private static void awaitReady(int port) throws IOException, InterruptedException {
    Eventually.await(() -> status(port, "/readyz"), s -> s == 200, Duration.ofSeconds(60), "ready");
    HttpResponse<String> health = get(port, "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    assertEquals("ready\n", get(port, "/readyz").body());
  }

  /** The status {@code path} answers with; 0 while nothing listens. */
  private static int status(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void upload(E2e e2e, Path module) {
    Result upload = e2e.bin.run("registry", "upload", module.toString());
    assertEquals(0, upload.exitCode(), upload.toString());
  }

  private static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The exposition at {@code port}, after promtool has checked it and found nothing to say. */
  private static String scrape(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = get(port, "/metrics");
    assertEquals(200, response.statusCode());
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var in = promtool.getOutputStream()) {
      in.write(response.body().getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, promtool.waitFor(), "promtool: " + said);
    assertEquals("", said.strip(), "promtool's complaints");
    return response.body();
  }

  /**
   * The value of the sample {@code name} whose label values are {@code labels}, in the order of the
   * exposition (the client writes labels sorted by name).
   */
  private static double value(String exposition, String name, String... labels) {
    StringBuilder pattern = new StringBuilder("(?m)^" + Pattern.quote(name));
    if (labels.length > 0) {
      pattern.append("\\{");
      for (int i = 0; i < labels.length; i++) {
        pattern.append(i == 0 ? "" : ",").append("[a-z_]+=\"").append(Pattern.quote(labels[i]));
        pattern.append("\"");
      }
      pattern.append("\\}");
    }
    pattern.append(" (\\S+)$");
    Matcher found = Pattern.compile(pattern.toString()).matcher(exposition);
    assertTrue(found.find(), "no sample " + name + " " + List.of(labels) + " in:\n" + exposition);
    return Double.parseDouble(found.group(1));
  }
}
