package dev.taskqueue.producer;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.TaskLeases;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * What producer tests share: a session under the test's own prefix, a settable clock, module
 * storage to register task names, and the worker's transitions to finish tasks.
 */
final class Fixture {
  final TestRedis redis;
  final MutableClock clock = MutableClock.atFixedStart();
  final RedisSession session;
  final Keys keys;
  final ModuleStore modules;
  final TaskLeases leases;

  Fixture(TestRedis redis) {
    this.redis = redis;
    this.session = TestSessions.open(redis, redis.prefix());
    this.keys = session.keys();
    this.modules = new ModuleStore(session.redis(), session.scripts(), keys, clock);
    this.leases = new TaskLeases(session.scripts(), keys, clock, Duration.ofSeconds(5));
  }

  /** Settings for this test's server and prefix, the defaults, and {@code overrides}. */
  Config config(Map<Setting<?>, String> overrides) {
    Config.Builder builder =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of())
            .withOverride(Settings.REDIS_URL, redis.url(), "the test")
            .withOverride(Settings.KEY_PREFIX, redis.prefix(), "the test");
    overrides.forEach((setting, raw) -> builder.withOverride(setting, raw, "the test"));
    return builder.build();
  }

  Config config() {
    return config(Map.of());
  }

  /** Registers {@code bytes} (any bytes: the store does not validate) as the newest version. */
  ModuleVersion publish(String name, String bytes) {
    return modules.publish(name, bytes.getBytes(StandardCharsets.UTF_8), name + ".wasm").version();
  }

  /** Claims the oldest pending task of {@code queue} as worker {@code w1}. */
  Lease claim(String queue, TaskId expected) {
    Lease lease = Lease.of(leases.claim(queue, "w1", 1).get(0));
    if (!lease.taskId().equals(expected)) {
      throw new AssertionError("claimed " + lease.taskId() + ", expected " + expected);
    }
    return lease;
  }

  /** Every key under this test's prefix with its content. */
  Map<String, Object> state() {
    return RedisState.of(session.redis(), redis.prefix());
  }

  @SuppressWarnings("unchecked")
  Map<String, String> hash(String key) {
    return (Map<String, String>) state().get(key);
  }
}
