package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** enqueue.lua, through {@link TaskEnqueuer}. */
@ExtendWith(RedisExtension.class)
class EnqueueTest {
  private final MutableClock clock = MutableClock.atFixedStart();
  private final Tasks tasks = new Tasks(clock);
  private RedisSession session;
  private Keys keys;
  private TaskEnqueuer enqueuer;
  private String prefix;

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    keys = session.keys();
    prefix = redis.prefix();
    enqueuer = new TaskEnqueuer(session.redis(), session.scripts(), keys);
  }

  @Test
  void writesTheHashPendingMarkerOpenCountAndQueueIndex() {
    NewTask task = tasks.greeter("{\"name\":\"Ada\"}");

    enqueuer.enqueue(task);

    Map<String, Object> expected = new TreeMap<>();
    expected.put(keys.queues(), Set.of("default"));
    expected.put(keys.pending("default"), List.of(task.id().value()));
    expected.put(keys.marker("default"), Map.of("work", 0.0));
    expected.put(keys.open("default"), Map.of("greeter", "1"));
    expected.put(
        keys.task("default", task.id()),
        new TreeMap<>(
            Map.ofEntries(
                Map.entry("id", task.id().value()),
                Map.entry("queue", "default"),
                Map.entry("name", "greeter"),
                Map.entry("module_digest", Tasks.DIGEST),
                Map.entry("module_version", "1"),
                Map.entry("kind", "immediate"),
                Map.entry("stage", "pending"),
                Map.entry("payload", "{\"name\":\"Ada\"}"),
                Map.entry("attempts", "0"),
                Map.entry("max_retries", "3"),
                Map.entry("timeout_ms", "30000"),
                Map.entry("created_at", Long.toString(clock.millis())),
                Map.entry("lease_token", "0"))));
    assertEquals(normalize(expected), normalize(RedisState.of(session.redis(), prefix)));
  }

  @Test
  void appendsLaterTasksOnTheLeftAndCountsOpenTasksPerName() {
    NewTask first = tasks.greeter("{}");
    NewTask second = tasks.greeter("{}");
    NewTask other = tasks.task("default", "wordcount", "{}");

    enqueuer.enqueue(first);
    enqueuer.enqueue(second);
    enqueuer.enqueue(other);

    Map<String, Object> state = RedisState.of(session.redis(), prefix);
    assertEquals(
        List.of(other.id().value(), second.id().value(), first.id().value()),
        state.get(keys.pending("default")));
    assertEquals(Map.of("greeter", "2", "wordcount", "1"), state.get(keys.open("default")));
  }

  @Test
  void keepsQueuesApartUnderTheirOwnHashTags() {
    NewTask urgent = tasks.task("urgent", "greeter", "{}");

    enqueuer.enqueue(urgent);

    Map<String, Object> state = RedisState.of(session.redis(), prefix);
    assertEquals(List.of(urgent.id().value()), state.get(keys.pending("urgent")));
    assertEquals(Set.of("urgent"), state.get(keys.queues()));
    assertEquals(
        "{" + prefix + ":urgent}:task:" + urgent.id().value(), keys.task("urgent", urgent.id()));
  }

  @Test
  void refusesAnIdThatExistsAndChangesNothing() {
    NewTask task = tasks.greeter("{}");
    enqueuer.enqueue(task);
    Map<String, Object> before = RedisState.of(session.redis(), prefix);

    NewTask again =
        new NewTask(
            task.id(),
            "default",
            "other",
            Tasks.DIGEST,
            2,
            task.kind(),
            "{\"x\":1}",
            0,
            task.timeout(),
            task.createdAt());
    IllegalStateException error =
        assertThrows(IllegalStateException.class, () -> enqueuer.enqueue(again));

    assertEquals("bug: task id " + task.id() + " was issued twice", error.getMessage());
    assertEquals(before, RedisState.of(session.redis(), prefix));
  }

  @Test
  void headerNamesEveryKeyAndArgumentTheJavaSidePasses() {
    String source = LuaScript.ENQUEUE.source();
    for (int i = 1; i <= 4; i++) {
      assertEquals(true, source.contains("-- KEYS[" + i + "]"), "KEYS[" + i + "]");
    }
    for (int i = 1; i <= 10; i++) {
      assertEquals(true, source.contains("-- ARGV[" + i + "]"), "ARGV[" + i + "]");
    }
  }

  /** Sets and maps compare by content whatever their implementation. */
  private static Map<String, Object> normalize(Map<String, Object> state) {
    Map<String, Object> copy = new TreeMap<>();
    state.forEach(
        (k, v) ->
            copy.put(
                k,
                v instanceof Set<?> s
                    ? new java.util.TreeSet<>(s)
                    : v instanceof Map<?, ?> m ? new TreeMap<>(m) : v));
    return copy;
  }
}
