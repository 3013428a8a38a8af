package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.RedisSession;
import java.time.Clock;

/** What a registry command holds while it runs: one Redis connection, the modules and the tasks. */
record RegistrySession(RedisSession redis, ModuleStore modules, TaskInspector tasks)
    implements AutoCloseable {

  /**
   * Connects to the Redis in {@code config}.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached
   */
  static RegistrySession open(Config config) {
    RedisSession redis = RedisSession.open(config, "task-queue-registry", 2);
    return new RegistrySession(
        redis,
        new ModuleStore(redis.redis(), redis.scripts(), redis.keys(), Clock.systemUTC()),
        new TaskInspector(redis.redis(), redis.keys()));
  }

  @Override
  public void close() {
    redis.close();
  }
}
