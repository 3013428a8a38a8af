package dev.taskqueue.support;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.redis.ScriptRunner;
import dev.taskqueue.testing.TestRedis;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RedissonClient;

/**
 * One Redisson client per test server, shared by every test of a run (starting one takes about half
 * a second); tests keep apart by key prefix, not by client. Other modules' tests use it through
 * core's test jar.
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
    RedissonClient client = client(redis.url());
    return new RedisSession(client, new Keys(prefix), new ScriptRunner(client));
  }

  /** The shared client of the server at {@code url}; never closed, the JVM's end does that. */
  public static RedissonClient client(String url) {
    return CLIENTS.computeIfAbsent(
        url, u -> RedisConnector.connect(RedisUrl.parse(u), "task-queue-test", 16));
  }
}
