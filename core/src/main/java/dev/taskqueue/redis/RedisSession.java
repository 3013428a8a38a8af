package dev.taskqueue.redis;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import org.redisson.api.RedissonClient;

/**
 * What every process holds to talk to Redis: the client, the key names under the configured prefix,
 * and the script runner. Closing it closes the client.
 */
public record RedisSession(RedissonClient redis, Keys keys, ScriptRunner scripts)
    implements AutoCloseable {

  /**
   * Connects as {@code clientName} with a pool of {@code connections}.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached
   */
  public static RedisSession open(Config config, String clientName, int connections) {
    RedissonClient redis =
        RedisConnector.connect(config.get(Settings.REDIS_URL), clientName, connections);
    return new RedisSession(
        redis, new Keys(config.get(Settings.KEY_PREFIX)), new ScriptRunner(redis));
  }

  @Override
  public void close() {
    redis.shutdown();
  }
}
