package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.RedisSentinel;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The client through Redis Sentinel: it asks the sentinel where the master is, and works on the
 * master in the URL's database with the URL's credentials.
 */
class SentinelConnectionTest {
  private static final String SECRET = "Zq7-s3cret@pw:x";
  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";

  @Test
  void theMasterIsFoundThroughTheSentinelAndUsedInTheUrlsDatabase() throws Exception {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      RedissonClient client = connect(sentinel.url().replace("#", "/2#"));
      try {
        Redis redis = new Redis(client);
        assertEquals(
            List.of("noeviction"),
            List.copyOf(redis.configOfMasters("maxmemory-policy").values()),
            "a setting is read from the master");
        Keys keys = new Keys("tq");
        redis.sortedSets().zadd(keys.scheduled("default"), 5, "a");
        redis.hset(keys.task("default", "a"), "stage", "scheduled");

        long promoted =
            redis
                .scripts()
                .evalLong(
                    LuaScript.PROMOTE_DUE,
                    List.of(
                        keys.scheduled("default"),
                        keys.pending("default"),
                        keys.marker("default"),
                        keys.task("default", "a")),
                    List.of(10, "a"));

        assertEquals(1, promoted);
        try (Resp master = Resp.connect(sentinel.master().port())) {
          assertEquals("OK", master.send("SELECT", "2"));
          assertEquals(List.of("a"), master.send("LRANGE", keys.pending("default"), "0", "-1"));
        }
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void theCredentialsAreTheMastersAndAWrongPasswordIsNamedWithoutShowingIt() {
    try (RedisSentinel sentinel = RedisSentinel.startWithPassword(SECRET)) {
      RedissonClient client = connect(sentinel.url(":" + SECRET_IN_URL));
      try {
        new Redis(client).hset("k", "f", "v");
      } finally {
        client.shutdown();
      }

      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> connect(sentinel.url(":Wr0ng-" + SECRET_IN_URL)));

      assertEquals(
          "cannot connect to Redis at redis-sentinel://:***@127.0.0.1:"
              + sentinel.port()
              + "/0#mymaster (WRONGPASS invalid username-password pair or user is disabled.):"
              + " check the user name and password in REDIS_URL",
          error.getMessage());
      assertFalse(error.getMessage().contains("Zq7"));
    }
  }

  @Test
  void anUnknownMasterNameIsNamedAsSuch() {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> connect(sentinel.url().replace("#mymaster", "#other")));

      assertTrue(
          error
              .getMessage()
              .endsWith(
                  "the sentinels know no master of that name: check the name after '#' in"
                      + " REDIS_URL"),
          error.getMessage());
    }
  }

  @Test
  void aServerThatIsNoSentinelIsNamedAsSuch() {
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> connect("redis-sentinel://127.0.0.1:" + server.port() + "#mymaster"));

      assertTrue(
          error
              .getMessage()
              .endsWith(
                  "that is a Redis server, not a sentinel: use redis:// for it, or name the"
                      + " sentinels (port 26379 unless set)"),
          error.getMessage());
    }
  }

  private static RedissonClient connect(String url) {
    return RedisConnector.connect(RedisUrl.parse(url), "test", 4, Duration.ofSeconds(5));
  }
}
