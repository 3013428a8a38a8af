package dev.taskqueue.producer;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.DuePromoter;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.ShapeField;
import dev.taskqueue.task.TaskFields;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.redisson.api.RedissonClient;

/**
 * What producer tests share: a session under the test's own prefix, a settable clock, module
 * storage to register task names, and the transitions of workers and the reaper to end attempts and
 * promote retries. A retry waits half its backoff ceiling, so run-at times are known.
 */
final class Fixture {
  final TestRedis redis;
  final MutableClock clock = MutableClock.atFixedStart();
  final RedisSession session;
  final RedissonClient client;
  final Keys keys;
  final ModuleStore modules;
  final ModulePublisher publisher;
  final AttemptRecorder recorder;
  final DuePromoter promoter;
  private final Claimer claimer;

  Fixture(TestRedis redis) {
    this.redis = redis;
    this.session = TestSessions.open(redis, redis.prefix());
    this.client = TestSessions.client(redis.url());
    this.keys = session.keys();
    this.modules = new ModuleStore(session.redis(), keys);
    this.publisher = new ModulePublisher(session.redis(), keys, clock, Duration.ofSeconds(5));
    this.recorder = new AttemptRecorder(session.redis(), keys, clock, () -> 0.5);
    this.promoter = new DuePromoter(session.redis(), keys, clock);
    this.claimer = new Claimer(session.redis(), keys, clock, "w1", "host-1", Duration.ofSeconds(5));
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
    return publisher
        .publish(name, bytes.getBytes(StandardCharsets.UTF_8), name + ".wasm")
        .version();
  }

  /** Claims the oldest pending task of {@code queue} as worker {@code w1}. */
  Lease claim(String queue, TaskId expected) {
    Lease lease = claimer.claim(queue, 1).get(0).lease();
    if (!lease.taskId().equals(expected)) {
      throw new AssertionError("claimed " + lease.taskId() + ", expected " + expected);
    }
    return lease;
  }

  /**
   * What a worker does with a trapping task: claims it one second from now and fails it 250 ms
   * later, its log in {@code /logs/<id>.log}; the task is then retrying or dead.
   */
  Ending fail(String queue, TaskId id, String error) {
    clock.advance(Duration.ofSeconds(1));
    Lease lease = claim(queue, id);
    clock.advance(Duration.ofMillis(250));
    return recorder.fail(lease, error, Optional.of("/logs/" + id + ".log"));
  }

  /**
   * Every key of the prefix, a task hash as its readers see it: its shape's fields (what it shares
   * with its submission's others, stored as one, see core's EnqueueTest) one by one.
   */
  Map<String, Object> state() {
    Map<String, Object> state = RedisState.of(client, redis.prefix());
    state.replaceAll((key, value) -> key.contains("}:task:") ? unshaped(value) : value);
    return state;
  }

  Map<String, String> hash(String key) {
    return unshaped(RedisState.key(client, key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> unshaped(Object hash) {
    if (hash == null) {
      return null;
    }
    Map<String, String> fields = new TreeMap<>(ShapeField.expand((Map<String, String>) hash));
    fields.remove(TaskFields.SHAPE);
    return fields;
  }
}
