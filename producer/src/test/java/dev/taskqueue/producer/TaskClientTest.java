package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.DeadLetters;
import dev.taskqueue.queue.EndedTasks;
import dev.taskqueue.queue.TaskCanceller;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.schedule.Schedule;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TaskClient}: what a submission writes, defaults, lookups, dead letters, tasks for later,
 * cancelling and schedules. Refusals: TaskSubmitterTest.
 */
@ExtendWith(RedisExtension.class)
class TaskClientTest {
  private static final String UNKNOWN = "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90";

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
            f.keys.marker("default"), Map.of(id.value(), 0.0),
            f.keys.open("default"), Map.of("greeter", "1"),
            f.keys.stats("default"), Map.of("submitted:greeter", "1"),
            f.keys.modules("default"), Map.of("greeter", "1 " + greeter.digest()),
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
                    Map.entry("max_retries", "3"),
                    Map.entry("retry_backoff_base_ms", "1000"),
                    Map.entry("retry_backoff_cap_ms", "300000"),
                    Map.entry("timeout_ms", "30000"),
                    Map.entry("created_at", Long.toString(f.clock.millis()))));
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
                        Settings.DEFAULT_TIMEOUT, "5m",
                        Settings.RETRY_BACKOFF_BASE, "2s")))
            .withSession(f.session)
            .build();

    TaskId byDefault = configured.submit(Submission.builder("greeter", "{}").build());
    TaskId given =
        configured.submit(
            Submission.builder("greeter", "[1,2]")
                .withQueue("urgent")
                .withMaxRetries(0)
                .withTimeout(Duration.ofMillis(10))
                .withRetryBackoff(RetryBackoff.parse("100ms..1s"))
                .build());

    Task defaults = configured.require(byDefault);
    assertEquals(7, defaults.maxRetries());
    assertEquals(Duration.ofMinutes(5), defaults.timeout());
    assertEquals("default", defaults.queue());
    assertEquals(
        new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5)), defaults.retryBackoff());
    Map<String, String> hash = f.hash(f.keys.task("urgent", given));
    assertEquals("0", hash.get("max_retries"));
    assertEquals("10", hash.get("timeout_ms"));
    assertEquals("100", hash.get("retry_backoff_base_ms"));
    assertEquals("1000", hash.get("retry_backoff_cap_ms"));
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

    TaskId unknown = TaskId.parse(UNKNOWN);
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
  void listsReplaysAndPurgesDeadTasks() {
    TaskId dead = submitAndKill("default");
    f.clock.advance(Duration.ofDays(2));
    TaskId younger = submitAndKill("default");
    TaskId pending = client.submit(Submission.builder("greeter", "{}").build());
    DeadTasks dlq = client.deadLetters();

    assertEquals(Set.of("default"), client.queues());
    assertEquals(2, dlq.count("default"));
    assertEquals(List.of(younger, dead), dlq.list("default", 10).stream().map(Task::id).toList());
    assertEquals(List.of(younger), dlq.list("default", 1).stream().map(Task::id).toList());
    assertEquals(List.of(younger, dead), dlq.ids("default"));
    assertEquals(List.of(dead.value()), dlq.purgeable("default", Duration.ofDays(1)));
    assertEquals(List.of(dead.value(), younger.value()), dlq.purgeable("default"));

    assertEquals(DeadLetters.Replay.REPLAYED, dlq.replay(younger));
    assertEquals(DeadLetters.Replay.NOT_DEAD, dlq.replay(younger));
    assertEquals(DeadLetters.Replay.NOT_DEAD, dlq.replay(pending));
    assertEquals(DeadLetters.Replay.NO_SUCH_TASK, dlq.replay(TaskId.parse(UNKNOWN)));
    assertEquals(Stage.PENDING, client.require(younger).stage());
    assertEquals(0, client.require(younger).attempts());
    assertEquals(Optional.of(f.clock.instant()), client.require(younger).replayedAt());

    assertEquals(
        List.of(new EndedTasks.Deleted(dead.value(), Optional.of("/logs/" + dead + ".log"))),
        dlq.purge("default", Duration.ofDays(1)));
    assertEquals(0, dlq.count("default"));
    assertTrue(client.find(dead).isEmpty());
    assertThrows(InvalidInputException.class, () -> dlq.list("a:b", 1));
  }

  @Test
  void submitsATaskForLaterAndListsTheWaitingOnesEarliestFirst() {
    Instant runAt = f.clock.instant().plus(Duration.ofHours(1));
    TaskId later = client.submit(Submission.builder("greeter", "{}").withRunAt(runAt).build());
    TaskId sooner =
        client.submit(
            Submission.builder("greeter", "{}")
                .withRunAt(runAt.minus(Duration.ofMinutes(30)))
                .build());
    client.submit(Submission.builder("greeter", "{}").build());

    Task task = client.require(later);
    assertEquals(Kind.SCHEDULED, task.kind());
    assertEquals(Stage.SCHEDULED, task.stage());
    assertEquals(Optional.of(runAt), task.runAt());
    assertEquals(List.of(sooner, later), ids(client.scheduled("default", 10)));
    assertEquals(List.of(sooner), ids(client.scheduled("default", 1)));
    assertEquals(List.of(), client.scheduled("nosuch", 10));
    Task now =
        client.require(
            client.submit(
                Submission.builder("greeter", "{}").withRunAt(f.clock.instant()).build()));
    assertEquals(Stage.PENDING, now.stage(), "a time that has passed runs it now");
    assertEquals(Optional.empty(), now.runAt());
  }

  @Test
  void cancelsATaskThatHasNotStartedOnly() {
    TaskId dead = submitAndKill("default");
    TaskId pending = client.submit(Submission.builder("greeter", "{}").build());
    TaskId scheduled =
        client.submit(
            Submission.builder("greeter", "{}")
                .withRunAt(f.clock.instant().plus(Duration.ofMinutes(1)))
                .build());

    assertEquals(TaskCanceller.Cancel.CANCELLED, client.cancel(pending));
    assertEquals(TaskCanceller.Cancel.ALREADY_CANCELLED, client.cancel(pending));
    assertEquals(TaskCanceller.Cancel.CANCELLED, client.cancel(scheduled));
    assertEquals(TaskCanceller.Cancel.ENDED, client.cancel(dead));
    assertEquals(TaskCanceller.Cancel.NO_SUCH_TASK, client.cancel(TaskId.parse(UNKNOWN)));
    assertEquals(Stage.CANCELLED, client.require(scheduled).stage());
    assertEquals(List.of(), client.scheduled("default", 10));
  }

  @Test
  void addsListsPausesAndRemovesSchedules() {
    ScheduleStore schedules = client.schedules();

    Schedule added =
        schedules.add(
            "nightly",
            Submission.builder("greeter", "{}").withQueue("reports").build(),
            "0 0 2 * * *",
            "Europe/Berlin",
            CatchUp.SKIP);

    assertEquals(Optional.of(Instant.parse("2026-01-01T01:00:00Z")), added.nextFireAt());
    assertEquals(List.of("nightly"), schedules.list().stream().map(Schedule::name).toList());
    assertEquals("reports", schedules.require("nightly").queue());
    assertTrue(schedules.pause("nightly"));
    assertTrue(schedules.require("nightly").paused());
    assertTrue(schedules.resume("nightly"));
    schedules.remove("nightly");
    assertTrue(schedules.find("nightly").isEmpty());
    assertThrows(
        NotFoundException.class,
        () ->
            schedules.add(
                "other",
                Submission.builder("nosuch", "{}").build(),
                "0 * * * *",
                "UTC",
                CatchUp.ALL));
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

  private static List<TaskId> ids(List<Task> tasks) {
    return tasks.stream().map(Task::id).toList();
  }

  /** Submits a task without retries and fails its one attempt: it is dead. */
  private TaskId submitAndKill(String queue) {
    TaskId id =
        client.submit(
            Submission.builder("greeter", "{}").withQueue(queue).withMaxRetries(0).build());
    f.fail(queue, id, "trap: unreachable");
    return id;
  }
}
