package dev.taskqueue.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** What a process's HTTP endpoints answer: {@code /metrics}, {@code /healthz}, {@code /readyz}. */
class MetricsServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesMetricsHealthAndReadinessWithItsReason() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.builder().name("taskqueue_test_things").help("Things.").register(registry).inc(3);
    AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    try (MetricsServer server = MetricsServer.start(0, registry, problem::get)) {
      HttpResponse<String> metrics = get(server, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("\ntaskqueue_test_things_total 3.0\n"), metrics.body());
      assertEquals("ok\n", get(server, "/healthz").body());
      assertEquals(200, get(server, "/readyz").statusCode());
      assertEquals("ready\n", get(server, "/readyz").body());

      problem.set(Optional.of("Redis at redis://127.0.0.1:1 is unreachable"));

      HttpResponse<String> notReady = get(server, "/readyz");
      assertEquals(503, notReady.statusCode());
      assertEquals("not ready: Redis at redis://127.0.0.1:1 is unreachable\n", notReady.body());
      assertEquals(200, get(server, "/healthz").statusCode(), "alive all the same");
    }
  }

  @Test
  void aPortAlreadyTakenIsRefusedNamingItAndWhatToDo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      TaskQueueException error =
          assertThrows(
              TaskQueueException.class,
              () ->
                  MetricsServer.start(
                      taken.getLocalPort(), new PrometheusRegistry(), Optional::empty));

      assertEquals(ExitCode.INVALID_INPUT, error.exitCode());
      assertTrue(
          error.getMessage().startsWith("cannot serve metrics on port " + taken.getLocalPort()),
          error.getMessage());
      assertTrue(error.getMessage().endsWith("or 0 to turn metrics off"), error.getMessage());
    }
  }

  /** Ready means Redis answers and holds the scripts: after a restart, they are loaded again. */
  @Test
  void redisReadinessSaysWhyAndLoadsTheScriptsRedisLost() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedissonClient client =
          RedisConnector.connect(
              RedisUrl.parse(server.url()), "readiness-test", 2, Duration.ofSeconds(1));
      try (Redis redis = new Redis(client)) {
        Readiness ready = Readiness.redis(redis);
        assertEquals(Optional.empty(), ready.problem());
        assertEquals(List.of(1L), scriptExists(server, LuaScript.CLAIM));

        server.stop();
        assertTrue(ready.problem().isPresent(), "Redis is down");

        server.start();
        assertEquals(List.of(0L), scriptExists(server, LuaScript.CLAIM), "a restart lost them");
        Eventually.await(ready::problem, Optional::isEmpty, Duration.ofSeconds(30), "ready");
        assertEquals(List.of(1L), scriptExists(server, LuaScript.CLAIM));
      }
    }
  }

  private static Object scriptExists(RedisServer server, LuaScript script) throws Exception {
    try (Resp resp = Resp.connect(server.port())) {
      return resp.send("SCRIPT", "EXISTS", script.sha());
    }
  }

  private static HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
