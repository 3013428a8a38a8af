package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The warning a long-running process gives at start when Redis may evict its keys. */
class EvictionPolicyTest {

  @Test
  void redisDefaultEvictsNothingAndGetsNoWarning() {
    try (RedisServer server = RedisServer.startEphemeral()) {
      withRedis(
          server,
          "default",
          redis -> {
            assertEquals(Optional.empty(), EvictionPolicy.problem(redis));
            assertEquals(1, redis.configOfMasters("maxmemory-policy").size());
          });
    }
  }

  @Test
  void aPolicyThatEvictsIsNamedWithWhatToSetInstead() throws Exception {
    try (RedisServer server = evicting()) {
      withRedis(
          server,
          "default",
          redis -> {
            String problem = EvictionPolicy.problem(redis).orElseThrow();
            assertTrue(
                problem.contains(
                    "(127.0.0.1:" + server.port() + " has maxmemory-policy allkeys-lru)"),
                problem);
            assertTrue(problem.contains("set maxmemory-policy noeviction"), problem);
          });
    }
  }

  /** A managed Redis, or an ACL, may deny CONFIG: then nothing is said, and nothing fails. */
  @Test
  void aUserWhoMayNotReadTheConfigurationGetsNoWarning() throws Exception {
    try (RedisServer server = evicting();
        Resp admin = Resp.connect(server.port())) {
      assertEquals(
          "OK", admin.send("ACL", "SETUSER", "app", "on", ">pw", "~*", "+@all", "-@dangerous"));
      withRedis(
          server, "app:pw", redis -> assertEquals(Optional.empty(), EvictionPolicy.problem(redis)));
    }
  }

  /** A server that evicts the least recently used keys when full. */
  private static RedisServer evicting() throws IOException {
    RedisServer server = RedisServer.startEphemeral();
    try (Resp admin = Resp.connect(server.port())) {
      assertEquals("OK", admin.send("CONFIG", "SET", "maxmemory-policy", "allkeys-lru"));
    }
    return server;
  }

  private static void withRedis(RedisServer server, String user, Consumer<Redis> test) {
    String url = user.equals("default") ? server.url() : server.url(user);
    RedissonClient client =
        RedisConnector.connect(RedisUrl.parse(url), "test", 2, Duration.ofSeconds(2));
    try {
      test.accept(new Redis(client));
    } finally {
      client.shutdown();
    }
  }
}
