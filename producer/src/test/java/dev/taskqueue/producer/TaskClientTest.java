package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Settings;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link TaskClient}: what a submission writes, defaults, lookups. Refusals: SubmissionTest. */
@ExtendWith(RedisExtension.class)
class TaskClientTest {
  private Fixture f;
  private TaskClient client;
  private ModuleVersion greeter;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new Fixture(redis);
    client = TaskClient.builder(f.config()).withClock(f.clock).withSession(f.session).build();
    greeter = f.publish("greeter", "greeter v1");
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  @Test
  void submitWritesExactlyTheTaskWithItsModuleDigestPinned() {
    Map<String, Object> before = f.state();

    TaskId id = client.submit(Submission.builder("greeter", "{\"name\":\"Ada\"}").build());

    Map<String, Object> after = f.state();
    Map<String, Object> added = new TreeMap<>(after);
    added.keySet().removeAll(before.keySet());
    Map<String, Object> expected =
        Map.of(
            f.keys.queues(), Set.of("default"),
            f.keys.pending("default"), List.of(id.value()),
            f.keys.marker("default"), Map.of("work", 0.0),
            f.keys.open("default"), Map.of("greeter", "1"),
            f.keys.task("default", id),
                Map.ofEntries(
                    Map.entry("id", id.value()),
                    Map.entry("queue", "default"),
                    Map.entry("name", "greeter"),
                    Map.entry("module_digest", greeter.digest()),
                    Map.entry("module_version", "1"),
                    Map.entry("kind", "immediate"),
                    Map.entry("stage", "pending"),
                    Map.entry("payload", "{\"name\":\"Ada\"}"),
                    Map.entry("attempts", "0"),
                    Map.entry("max_retries", "3"),
                    Map.entry("timeout_ms", "30000"),
                    Map.entry("created_at", Long.toString(f.clock.millis())),
                    Map.entry("lease_token", "0")));
    assertEquals(expected, added);
    before.forEach((key, value) -> assertEquals(value, after.get(key), key + " changed"));
  }

  @Test
  void aNewerModuleVersionDoesNotChangeAQueuedTask() {
    TaskId id = client.submit(Submission.builder("greeter", "{}").build());

    ModuleVersion v2 = f.publish("greeter", "greeter v2, other bytes");
    TaskId later = client.submit(Submission.builder("greeter", "{}").build());

    assertEquals(2, v2.version());
    Task queued = client.require(id);
    assertEquals(greeter.digest(), queued.moduleDigest());
    assertEquals(1, queued.moduleVersion());
    assertEquals(v2.digest(), client.require(later).moduleDigest());
    assertFalse(v2.digest().equals(greeter.digest()));
  }

  @Test
  void takesTheGivenRulesAndOtherwiseTheConfiguredDefaults() {
    TaskClient configured =
        TaskClient.builder(
                f.config(
                    Map.of(
                        Settings.DEFAULT_MAX_RETRIES, "7",
                        Settings.DEFAULT_TIMEOUT, "5m")))
            .withSession(f.session)
            .build();

    TaskId byDefault = configured.submit(Submission.builder("greeter", "{}").build());
    TaskId given =
        configured.submit(
            Submission.builder("greeter", "[1,2]")
                .withQueue("urgent")
                .withMaxRetries(0)
                .withTimeout(Duration.ofMillis(10))
                .build());

    Task defaults = configured.require(byDefault);
    assertEquals(7, defaults.maxRetries());
    assertEquals(Duration.ofMinutes(5), defaults.timeout());
    assertEquals("default", defaults.queue());
    Map<String, String> hash = f.hash(f.keys.task("urgent", given));
    assertEquals("0", hash.get("max_retries"));
    assertEquals("10", hash.get("timeout_ms"));
    assertEquals("urgent", hash.get("queue"));
    assertEquals(List.of(given.value()), f.state().get(f.keys.pending("urgent")));
  }

  @Test
  void storesThePayloadTextExactlyAsGiven() {
    String payload = " {\n  \"name\" : \"Ada Lovelace \u00e9\u6f22\ud83d\ude00\",\"n\":1.50 }\n";

    TaskId id = client.submit(Submission.builder("greeter", payload).build());

    assertEquals(payload, f.hash(f.keys.task("default", id)).get("payload"));
    assertEquals(payload, client.require(id).payload());
  }

  @Test
  void findsATaskInAnyQueueAndSaysWhenThereIsNone() {
    TaskId id =
        client.submit(
            Submission.builder("greeter", "{\"name\":\"Ada\"}").withQueue("reports").build());

    Task task = client.find(id).orElseThrow();
    assertEquals("reports", task.queue());
    assertEquals("greeter", task.name());
    assertEquals(Kind.IMMEDIATE, task.kind());
    assertEquals(Stage.PENDING, task.stage());
    assertEquals(f.clock.instant(), task.createdAt());

    TaskId unknown = TaskId.parse("0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90");
    assertTrue(client.find(unknown).isEmpty());
    NotFoundException error = assertThrows(NotFoundException.class, () -> client.require(unknown));
    assertEquals(
        "task 0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90 not found: no queue under key prefix '"
            + f.redis.prefix()
            + "' has it; check the id, and TASK_QUEUE_KEY_PREFIX or --key-prefix if it was"
            + " submitted under another prefix",
        error.getMessage());
  }

  @Test
  void aClientGivenASessionLeavesItOpen() {
    client.close();

    assertFalse(f.client.isShutdown());
    assertEquals(1, f.modules.list().size());
  }

  @Test
  void aClientBuiltFromSettingsAloneConnectsAndClosesItsOwnSession() {
    TaskId id;
    try (TaskClient own = TaskClient.builder(f.config()).build()) {
      id = own.submit(Submission.builder("greeter", "{}").build());
      assertEquals("greeter", own.require(id).name());
    }

    assertEquals("pending", f.hash(f.keys.task("default", id)).get("stage"));
  }
}
