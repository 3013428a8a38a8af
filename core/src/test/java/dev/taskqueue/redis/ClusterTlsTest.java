package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.RedisCluster;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

/**
 * Issue 17: {@code rediss-cluster://} on a cluster whose nodes serve TLS and talk TLS among
 * themselves, trusting a private CA ({@code TASK_QUEUE_REDIS_TLS_CA}).
 */
class ClusterTlsTest {
  /** For key prefix "tcl", these three queues' hash tags fall on the three masters. */
  private static final List<String> QUEUES = List.of("default", "images", "search");

  @TempDir Path dir;

  @Test
  void scriptsRunOverTlsOnEveryNodeTrustingTheGivenCa() throws Exception {
    TestCertificates certificates = TestCertificates.create(dir);
    try (RedisCluster cluster = RedisCluster.startTls(certificates)) {
      RedisUrl url = RedisUrl.parse(cluster.tlsUrl());
      RedissonClient client =
          RedisConnector.connect(
              url,
              "tls-test",
              4,
              Duration.ofSeconds(5),
              Duration.ZERO,
              Optional.of(certificates.ca()));
      try {
        Redis redis = new Redis(client);
        Keys keys = new Keys("tcl");
        for (String queue : QUEUES) {
          String id = "task-" + queue;
          redis.sortedSets().zadd(keys.scheduled(queue), 5, id);
          redis.hset(keys.task(queue, id), "stage", "scheduled");

          assertEquals(
              1,
              redis
                  .scripts()
                  .evalLong(
                      LuaScript.PROMOTE_DUE,
                      List.of(
                          keys.scheduled(queue),
                          keys.pending(queue),
                          keys.marker(queue),
                          keys.task(queue, id)),
                      List.of(10, id)));
          assertEquals(List.of(id), redis.lrange(keys.pending(queue), 0, -1));
        }
        for (int port : cluster.ports()) {
          try (Resp node = Resp.connect(port)) {
            String clients = String.valueOf(node.send("CLIENT", "LIST"));
            assertTrue(clients.contains("name=tls-test"), "the client talks to node " + port);
            assertTrue(
                clients
                    .lines()
                    .filter(line -> line.contains("name=tls-test"))
                    .noneMatch(line -> line.contains("laddr=127.0.0.1:" + port + " ")),
                "only over TLS, never the plain port " + port + ":\n" + clients);
          }
        }
      } finally {
        client.shutdown();
      }

      RedisUnavailableException untrusted =
          assertThrows(
              RedisUnavailableException.class,
              () -> RedisConnector.connect(url, "tls-test", 4, Duration.ofSeconds(5)));
      assertTrue(
          untrusted.getMessage().contains("set TASK_QUEUE_REDIS_TLS_CA"), untrusted.getMessage());
    }
  }
}
