package dev.taskqueue.redis;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What every process holds to talk to Redis: the one door commands go through, and the key names
 * under the configured prefix. Closing it closes the connection.
 */
public record RedisSession(Redis redis, Keys keys) implements AutoCloseable {

  /**
   * Connects as {@code clientName} with a pool of {@code connections}. A Redis that accepts the
   * connection but does not answer (paused, loading, failing over) gets {@code
   * TASK_QUEUE_REDIS_RETRY_FOR} to start answering, as a submit does.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached
   */
  public static RedisSession open(Config config, String clientName, int connections) {
    return new RedisSession(
        new Redis(
            RedisConnector.connect(
                config.get(Settings.REDIS_URL),
                clientName,
                connections,
                config.get(Settings.REDIS_TIMEOUT),
                config.get(Settings.REDIS_RETRY_FOR),
                Optional.of(config.get(Settings.REDIS_TLS_CA))
                    .filter(ca -> !ca.isEmpty())
                    .map(Path::of))),
        new Keys(config.get(Settings.KEY_PREFIX)));
  }

  @Override
  public void close() {
    redis.close();
  }
}
