package dev.taskqueue.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a long-running process (worker, scheduler, reaper) serves over HTTP, on every interface at
 * one port:
 *
 * <ul>
 *   <li>{@code /metrics}: its metrics in Prometheus's text format (OpenMetrics when asked);
 *   <li>{@code /healthz}: 200 while the process is alive and answering;
 *   <li>{@code /readyz}: 200 when it can do its work ({@link Readiness}), else 503 and why.
 * </ul>
 *
 * One thread answers, so a scrape never competes with the process's own threads for more than one
 * core.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService thread;

  private MetricsServer(HttpServer server, ExecutorService thread) {
    this.server = server;
    this.thread = thread;
  }

  /**
   * Starts serving {@code registry} and {@code readiness} at {@code port} (0: a free port, for
   * tests).
   *
   * @throws TaskQueueException (invalid input) when the port cannot be had, naming it
   */
  public static MetricsServer start(int port, PrometheusRegistry registry, Readiness readiness) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new TaskQueueException(
          ExitCode.INVALID_INPUT,
          "cannot serve metrics on port "
              + port
              + " ("
              + e.getMessage()
              + "): another process holds it; choose another TASK_QUEUE_METRICS_PORT"
              + " (--metrics-port), or 0 to turn metrics off",
          e);
    }
    ExecutorService thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(thread);
    server.createContext("/metrics", new MetricsHandler(registry));
    server.createContext("/healthz", exchange -> reply(exchange, 200, "ok\n"));
    server.createContext(
        "/readyz",
        exchange -> {
          Optional<String> problem = readiness.problem();
          if (problem.isPresent()) {
            reply(exchange, 503, "not ready: " + problem.get() + "\n");
          } else {
            reply(exchange, 200, "ready\n");
          }
        });
    server.start();
    return new MetricsServer(server, thread);
  }

  /** The port it serves on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
