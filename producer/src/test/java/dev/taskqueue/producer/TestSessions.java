package dev.taskqueue.producer;

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
 * One Redisson client per test server, shared by every test of a run: starting one takes about half
 * a second. Tests keep apart by key prefix, not by client.
 */
final class TestSessions {
  private static final Map<String, RedissonClient> CLIENTS = new ConcurrentHashMap<>();

  private TestSessions() {}

  static RedisSession open(TestRedis redis, String prefix) {
    RedissonClient client =
        CLIENTS.computeIfAbsent(
            redis.url(), url -> RedisConnector.connect(RedisUrl.parse(url), "task-queue-test", 8));
    return new RedisSession(client, new Keys(prefix), new ScriptRunner(client));
  }
}
