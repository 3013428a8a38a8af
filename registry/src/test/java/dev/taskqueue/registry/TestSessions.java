package dev.taskqueue.registry;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.redis.ScriptRunner;
import dev.taskqueue.testing.TestRedis;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.redisson.api.RedissonClient;

/** One Redisson client per test server, shared by the tests of a run; keys differ by prefix. */
final class TestSessions {
  private static final Map<String, RedissonClient> CLIENTS = new ConcurrentHashMap<>();

  private TestSessions() {}

  static RedisSession open(TestRedis redis) {
    RedissonClient client =
        CLIENTS.computeIfAbsent(
            redis.url(), url -> RedisConnector.connect(RedisUrl.parse(url), "registry-test", 4));
    return new RedisSession(client, new Keys(redis.prefix()), new ScriptRunner(client));
  }
}
