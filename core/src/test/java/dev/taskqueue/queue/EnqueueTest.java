package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.ShapeField;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;
import tools.jackson.databind.json.JsonMapper;

/** enqueue.lua, through {@link TaskEnqueuer}. */
@ExtendWith(RedisExtension.class)
class EnqueueTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String SHAPE = "(the shape, compared parsed)";
  private final MutableClock clock = MutableClock.atFixedStart();
  private final Tasks tasks = new Tasks(clock);
  private RedissonClient client;
  private Keys keys;
  private TaskEnqueuer enqueuer;
  private String prefix;

  @BeforeEach
  void setUp(TestRedis redis) {
    RedisSession session = TestSessions.open(redis);
    client = TestSessions.client(redis.url());
    keys = session.keys();
    prefix = redis.prefix();
    enqueuer = new TaskEnqueuer(session.redis(), keys);
  }

  @Test
  void writesTheHashPendingMarkerOpenCountAndQueueIndex() {
    NewTask task = tasks.greeter("{\"name\":\"Ada\"}");

    assertEquals(EnqueueResult.ENQUEUED, enqueuer.enqueue(task));

    Map<String, Object> expected = new TreeMap<>();
    expected.put(keys.queues(), Set.of("default"));
    expected.put(keys.pending("default"), List.of(task.id().value()));
    expected.put(keys.marker("default"), Map.of(task.id().value(), 0.0));
    expected.put(keys.open("default"), Map.of("greeter", "1"));
    expected.put(keys.stats("default"), Map.of("submitted:greeter", "1"));
    expected.put(keys.modules("default"), Map.of("greeter", "1 " + Tasks.DIGEST));
    expected.put(
        keys.task("default", task.id()),
        new TreeMap<>(
            Map.of(
                "id",
                task.id().value(),
                "name",
                "greeter",
                "stage",
                "pending",
                "payload",
                "{\"name\":\"Ada\"}",
                "created_at",
                Long.toString(clock.millis()),
                "shape",
                SHAPE)));
    Map<String, Object> state = RedisState.of(client, prefix);
    Map<String, String> hash = stored(state, task);
    assertEquals(
        Map.ofEntries(
            Map.entry("queue", "default"),
            Map.entry("module_digest", Tasks.DIGEST),
            Map.entry("module_version", 1),
            Map.entry("kind", "immediate"),
            Map.entry("max_retries", 3),
            Map.entry("timeout_ms", 30000),
            Map.entry("retry_backoff_base_ms", 1000),
            Map.entry("retry_backoff_cap_ms", 300000)),
        JSON.readValue(hash.get("shape"), Map.class),
        "what the tasks of a call share, one JSON object");
    hash.put("shape", SHAPE);
    assertEquals(normalize(expected), normalize(state));
  }

  @Test
  void appendsLaterTasksOnTheLeftAndCountsOpenTasksPerName() {
    NewTask first = tasks.greeter("{}");
    NewTask second = tasks.greeter("{}");
    NewTask other = tasks.task("default", "wordcount", "{}");

    enqueuer.enqueue(first);
    enqueuer.enqueue(second);
    enqueuer.enqueue(other);

    Map<String, Object> state = RedisState.of(client, prefix);
    assertEquals(
        List.of(other.id().value(), second.id().value(), first.id().value()),
        state.get(keys.pending("default")));
    assertEquals(Map.of("greeter", "2", "wordcount", "1"), state.get(keys.open("default")));
  }

  @Test
  void keepsQueuesApartUnderTheirOwnHashTags() {
    NewTask urgent = tasks.task("urgent", "greeter", "{}");

    enqueuer.enqueue(urgent);

    Map<String, Object> state = RedisState.of(client, prefix);
    assertEquals(List.of(urgent.id().value()), state.get(keys.pending("urgent")));
    assertEquals(Set.of("urgent"), state.get(keys.queues()));
    assertEquals(
        "{" + prefix + ":urgent}:task:" + urgent.id().value(), keys.task("urgent", urgent.id()));
  }

  /** Issue 12, item 2: a resent enqueue whose first copy ran is not a duplicate, nor a bug. */
  @Test
  void anIdThatExistsIsReportedAsAlreadyEnqueuedAndChangesNothing() {
    NewTask task = tasks.greeter("{}");
    enqueuer.enqueue(task);
    Map<String, Object> before = RedisState.of(client, prefix);

    assertEquals(EnqueueResult.ALREADY_ENQUEUED, enqueuer.enqueue(task));

    assertEquals(before, RedisState.of(client, prefix));
  }

  /** Issue 12, item 11: a removed module version is refused in the queue's own slot. */
  @Test
  void refusesATaskOfAModuleVersionRemovedFromTheRegistry() {
    client.getMap(keys.retired("default")).put("greeter", "1");
    client.getSet(keys.queues()).add("default");
    Map<String, Object> before = RedisState.of(client, prefix);

    assertEquals(EnqueueResult.MODULE_REMOVED, enqueuer.enqueue(tasks.greeter("{}")));
    assertEquals(before, RedisState.of(client, prefix));
    assertEquals(
        EnqueueResult.ENQUEUED,
        enqueuer.enqueue(tasks.task("other", "greeter", "{}")),
        "another queue retired nothing");
  }

  @Test
  void acceptsAVersionUploadedAfterTheRemoval() {
    client.getMap(keys.retired("default")).put("greeter", "1");
    NewTask task = tasks.greeter("{}");
    NewTask v2 =
        new NewTask(
            task.id(),
            "default",
            "greeter",
            Tasks.DIGEST,
            2,
            task.kind(),
            "{}",
            3,
            task.retryBackoff(),
            task.timeout(),
            task.createdAt());

    assertEquals(EnqueueResult.ENQUEUED, enqueuer.enqueue(v2));
  }

  @Test
  void aTaskLeavingItsVersionToTheQueueRunsTheNewestTheQueueKnows() {
    client.getMap(keys.modules("default")).put("greeter", "4 sha256:four");
    NewTask task = unpinned(tasks.greeter("{}"));

    assertEquals(EnqueueResult.ENQUEUED, enqueuer.enqueue(task));

    Map<?, ?> hash = hash(RedisState.of(client, prefix), task);
    assertEquals("4", hash.get("module_version"));
    assertEquals("sha256:four", hash.get("module_digest"));
  }

  @Test
  void aQueueKnowingNoVersionOfTheNameRefusesAndWritesNothing() {
    client.getSet(keys.queues()).add("default");
    Map<String, Object> before = RedisState.of(client, prefix);

    assertEquals(EnqueueResult.MODULE_UNKNOWN, enqueuer.enqueue(unpinned(tasks.greeter("{}"))));

    assertEquals(before, RedisState.of(client, prefix));
  }

  @Test
  void aPinnedTaskTeachesTheQueueANewerVersionButNeverAnOlderOne() {
    client.getMap(keys.modules("default")).put("greeter", "2 sha256:two");

    enqueuer.enqueue(tasks.greeter("{}")); // v1: older, kept as pinned, not learned
    assertEquals(Map.of("greeter", "2 sha256:two"), client.getMap(keys.modules("default")));
    enqueuer.enqueue(tasks.greeter("{}").withModule("sha256:three", 3));
    assertEquals(Map.of("greeter", "3 sha256:three"), client.getMap(keys.modules("default")));
  }

  @Test
  void aBatchIsQueuedInOrderAndOneRefusedTaskWritesNothing() {
    client.getMap(keys.modules("default")).put("greeter", "1 " + Tasks.DIGEST);
    List<NewTask> batch =
        List.of(
            unpinned(tasks.greeter("{}")),
            unpinned(tasks.greeter("{}")),
            unpinned(tasks.task("default", "wordcount", "{}")));
    Map<String, Object> before = RedisState.of(client, prefix);

    Enqueued refused = enqueuer.enqueueAll("default", batch);

    assertEquals(
        java.util.Optional.of(new Enqueued.Refused(2, EnqueueResult.MODULE_UNKNOWN)),
        refused.refused());
    client.getSet(keys.queues()).remove("default"); // registered before the call, by design
    assertEquals(before, RedisState.of(client, prefix));

    client.getMap(keys.modules("default")).put("wordcount", "7 sha256:seven");
    assertEquals(3, enqueuer.enqueueAll("default", batch).created());
    assertEquals(0, enqueuer.enqueueAll("default", batch).created(), "a repeat writes nothing");
    assertEquals(
        List.of(batch.get(2).id().value(), batch.get(1).id().value(), batch.get(0).id().value()),
        RedisState.of(client, prefix).get(keys.pending("default")));
  }

  @Test
  void aCallSentToFollowATaskRunsOnlyOnceThatTaskExists() {
    NewTask first = tasks.greeter("{}");
    NewTask second = tasks.greeter("{}");
    Map<String, Object> before = RedisState.of(client, prefix);

    Enqueued early =
        Redis.await(enqueuer.enqueueAllAsync("default", List.of(second), Optional.of(first.id())));

    assertEquals(Optional.of(new Enqueued.Refused(0, EnqueueResult.TOO_EARLY)), early.refused());
    client.getSet(keys.queues()).remove("default"); // registered before the call, by design
    assertEquals(before, RedisState.of(client, prefix), "nothing written");

    enqueuer.enqueue(first);
    Enqueued after =
        Redis.await(enqueuer.enqueueAllAsync("default", List.of(second), Optional.of(first.id())));
    assertEquals(new Enqueued(1, Optional.empty()), after);
    assertEquals(
        List.of(second.id().value(), first.id().value()),
        RedisState.of(client, prefix).get(keys.pending("default")));
  }

  /**
   * A call sends what tasks share once per shape (TaskShape): tasks of several shapes, one shape
   * coming back after others, each get their own name, kind, options, run-at time and limits.
   */
  @Test
  void aBatchOfManyShapesWritesEachTaskItsOwnFields() {
    client.getMap(keys.modules("default")).put("wordcount", "7 sha256:seven");
    NewTask plain = tasks.greeter("{\"n\":1}");
    NewTask alike = tasks.greeter("{\"n\":2}");
    NewTask other = unpinned(tasks.task("default", "wordcount", "{}"));
    Instant runAt = clock.instant().plusSeconds(60);
    NewTask later =
        Tasks.reshaped(tasks.greeter("{}"), 3, Tasks.BACKOFF, Optional.of(runAt), TaskLimits.NONE);
    NewTask limited =
        Tasks.reshaped(
            tasks.greeter("{}"),
            0,
            Tasks.BACKOFF,
            Optional.empty(),
            new TaskLimits(OptionalInt.of(4), OptionalLong.empty(), OptionalLong.empty()));
    NewTask again = tasks.greeter("{\"n\":3}");

    Enqueued done =
        enqueuer.enqueueAll("default", List.of(plain, alike, other, later, limited, again));

    assertEquals(new Enqueued(6, Optional.empty()), done);
    Map<String, Object> state = RedisState.of(client, prefix);
    assertEquals(
        List.of(again, limited, other, alike, plain).stream().map(t -> t.id().value()).toList(),
        state.get(keys.pending("default")));
    assertEquals(
        Map.of(later.id().value(), (double) runAt.toEpochMilli()),
        state.get(keys.scheduled("default")));
    Map<?, ?> a = hash(state, plain);
    Map<?, ?> b = hash(state, alike);
    Map<?, ?> w = hash(state, other);
    Map<?, ?> l = hash(state, later);
    Map<?, ?> m = hash(state, limited);
    Map<?, ?> g = hash(state, again);
    assertEquals(List.of("greeter", "{\"n\":1}", "3"), fields(a, "name", "payload", "max_retries"));
    assertEquals(List.of("greeter", "{\"n\":2}", "3"), fields(b, "name", "payload", "max_retries"));
    assertEquals(List.of("greeter", "{\"n\":3}", "3"), fields(g, "name", "payload", "max_retries"));
    assertEquals(
        List.of("wordcount", "7", "sha256:seven", "immediate"),
        fields(w, "name", "module_version", "module_digest", "kind"));
    assertEquals(
        List.of("scheduled", "scheduled", Long.toString(runAt.toEpochMilli())),
        fields(l, "stage", "kind", "run_at"));
    assertEquals(List.of("0", "{\"memory_pages\":4}"), fields(m, "max_retries", "limits"));
    for (Map<?, ?> h : List.of(a, b, w, m, g)) {
      assertEquals(
          List.of("pending", "1000", "300000", Long.toString(clock.millis())),
          fields(h, "stage", "retry_backoff_base_ms", "retry_backoff_cap_ms", "created_at"));
      assertEquals(null, h.get("run_at"));
    }
    assertEquals(null, a.get("limits"));
    assertEquals(Map.of("greeter", "5", "wordcount", "1"), state.get(keys.open("default")));
  }

  /** A task's hash as stored, shape and all. */
  @SuppressWarnings("unchecked")
  private Map<String, String> stored(Map<String, Object> state, NewTask task) {
    return (Map<String, String>) state.get(keys.task("default", task.id()));
  }

  /** A task's hash with its shape's fields one by one. */
  private Map<?, ?> hash(Map<String, Object> state, NewTask task) {
    return ShapeField.expand(stored(state, task));
  }

  private static List<Object> fields(Map<?, ?> hash, String... names) {
    return java.util.Arrays.stream(names).map(hash::get).map(Object.class::cast).toList();
  }

  private static NewTask unpinned(NewTask task) {
    return task.withModule("", NewTask.NEWEST);
  }

  @Test
  void headerNamesEveryKeyAndArgumentTheJavaSidePasses() {
    String source = LuaScript.ENQUEUE.source();
    for (int i = 1; i <= 6; i++) {
      assertEquals(true, source.contains("-- KEYS[" + i + "]"), "KEYS[" + i + "]");
    }
    for (int i = 1; i <= 3; i++) {
      assertEquals(true, source.contains("-- ARGV[" + i + "]"), "ARGV[" + i + "]");
    }
    // A shape's values are +0 to +10, a task's +0 to +2.
    for (int i = 0; i <= 10; i++) {
      assertEquals(true, source.contains("--   +" + i + " "), "+" + i);
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
