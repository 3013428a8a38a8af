package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleRemover;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.ScheduleStore;
import java.time.Clock;
import java.time.Duration;

/** What a registry command holds while it runs: one Redis connection, the modules and the tasks. */
record RegistrySession(
    RedisSession redis,
    ModuleStore modules,
    ModulePublisher publisher,
    TaskInspector tasks,
    ModuleRemover remover)
    implements AutoCloseable {

  /**
   * Connects to the Redis in {@code config}.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached
   */
  static RegistrySession open(Config config) {
    RedisSession redis = RedisSession.open(config, "task-queue-registry", 2);
    Clock clock = Clock.systemUTC();
    Duration resendFor = config.get(Settings.REDIS_RETRY_FOR);
    ModuleStore modules = new ModuleStore(redis.redis(), redis.keys());
    TaskInspector tasks = new TaskInspector(redis.redis(), redis.keys());
    return new RegistrySession(
        redis,
        modules,
        new ModulePublisher(redis.redis(), redis.keys(), clock, resendFor),
        tasks,
        new ModuleRemover(
            redis.redis(),
            redis.keys(),
            modules,
            tasks,
            new ScheduleStore(redis.redis(), redis.keys(), config, clock),
            clock,
            resendFor));
  }

  @Override
  public void close() {
    redis.close();
  }
}
