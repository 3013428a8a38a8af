package dev.taskqueue.support;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RedissonClient;

/**
 * One Redisson client per test server, shared by every test of a run (starting one takes about half
 * a second); tests keep apart by key prefix, not by client. Other modules' tests use it through
 * core's test jar. Sessions from here are never closed: closing one would close the shared client.
 */
public final class TestSessions {
  private static final Map<String, RedissonClient> CLIENTS = new ConcurrentHashMap<>();

  private TestSessions() {}

  /** A session on the test's server under the test's own key prefix. */
  public static RedisSession open(TestRedis redis) {
    return open(redis, redis.prefix());
  }

  /** A session on the test's server under another prefix (to prove prefixes keep apart). */
  public static RedisSession open(TestRedis redis, String prefix) {
    return new RedisSession(new Redis(client(redis.url())), new Keys(prefix));
  }

  /** The shared client of the server at {@code url}, for tests that seed or read keys directly. */
  public static RedissonClient client(String url) {
    return CLIENTS.computeIfAbsent(
        url,
        u ->
            RedisConnector.connect(
                RedisUrl.parse(u), "task-queue-test", 16, Duration.ofSeconds(10)));
  }

  /**
   * Shuts down the shared client of a server a test is about to stop (its own cluster or sentinel).
   * Left open, the client goes on asking the stopped nodes for their state and logs each failure to
   * this JVM's stderr, into the output of whichever test runs next.
   */
  public static void forget(String url) {
    RedissonClient client = CLIENTS.remove(url);
    if (client != null) {
      client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS); // its servers are going anyway
    }
  }
}
