package dev.taskqueue.support;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleRemover;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.redisson.api.RedissonClient;

/** What the module tests share: the store, its writers and two module bodies. */
public final class ModuleFixture {
  public static final byte[] V1 = "\0asm-one".getBytes(StandardCharsets.UTF_8);
  public static final byte[] V2 = "\0asm-two".getBytes(StandardCharsets.UTF_8);

  public final MutableClock clock = MutableClock.atFixedStart();
  public final Tasks tasks = new Tasks(clock);
  public final RedisSession session;
  public final RedissonClient client;
  public final Keys keys;
  public final ModuleStore store;
  public final ModulePublisher publisher;
  public final ScheduleStore schedules;
  public final ModuleRemover remover;
  public final TaskEnqueuer enqueuer;
  private final String prefix;

  public ModuleFixture(TestRedis redis) {
    session = TestSessions.open(redis);
    client = TestSessions.client(redis.url());
    keys = session.keys();
    prefix = redis.prefix();
    store = new ModuleStore(session.redis(), keys);
    publisher = new ModulePublisher(session.redis(), keys, clock, Duration.ofSeconds(5));
    schedules = new ScheduleStore(session.redis(), keys, Config.defaults(), clock);
    remover =
        new ModuleRemover(
            session.redis(),
            keys,
            store,
            new TaskInspector(session.redis(), keys),
            schedules,
            clock,
            Duration.ofSeconds(5));
    enqueuer = new TaskEnqueuer(session.redis(), keys);
  }

  public Map<String, Object> state() {
    return RedisState.of(client, prefix);
  }

  @SuppressWarnings("unchecked")
  public Map<String, String> hash(String key) {
    return (Map<String, String>) RedisState.key(client, key);
  }
}
