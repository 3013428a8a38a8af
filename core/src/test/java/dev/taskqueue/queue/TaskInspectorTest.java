package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.CorruptTaskException;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class TaskInspectorTest {

  @Test
  void findsATaskByIdInWhicheverQueueItIsAndReadsEveryField(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    TaskInspector inspector = new TaskInspector(f.session.redis(), f.keys);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    NewTask task = f.tasks.task("urgent", "wordcount", "{\"text\":\"a b\"}");
    f.enqueuer.enqueue(task);
    Lease lease = f.claimOne("urgent", "w9").lease();
    f.clock.advance(Duration.ofMillis(40));
    f.recorder.complete(
        lease, TaskResult.of("{\"words\":2}".getBytes(StandardCharsets.UTF_8)), Optional.of("l"));

    Task found = inspector.find(task.id()).orElseThrow();

    assertEquals("urgent", found.queue());
    assertEquals("wordcount", found.name());
    assertEquals(Kind.IMMEDIATE, found.kind());
    assertEquals(Stage.COMPLETED, found.stage());
    assertEquals("{\"text\":\"a b\"}", found.payload());
    assertEquals(1, found.attempts());
    assertEquals(3, found.maxRetries());
    assertEquals(Duration.ofSeconds(30), found.timeout());
    assertEquals(task.createdAt(), found.createdAt());
    assertEquals(task.createdAt(), found.startedAt().orElseThrow());
    assertEquals(f.clock.instant(), found.finishedAt().orElseThrow());
    assertEquals("w9", found.workerId().orElseThrow());
    assertEquals("{\"words\":2}", found.result().orElseThrow().stored());
    assertEquals(Optional.of("l"), found.logPath());
    assertTrue(found.leaseExpiresAt().isEmpty());
    assertTrue(inspector.find(f.tasks.nextId()).isEmpty());
  }

  @Test
  void countsOpenTasksOfANamePerQueue(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    TaskInspector inspector = new TaskInspector(f.session.redis(), f.keys);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    f.enqueuer.enqueue(f.tasks.task("urgent", "greeter", "{}"));
    f.enqueuer.enqueue(f.tasks.task("urgent", "greeter", "{}"));
    f.claim("urgent", "w1", 1);

    assertEquals(Map.of("default", 1L, "urgent", 2L), inspector.openTasks("greeter"));
    assertEquals(Map.of(), inspector.openTasks("wordcount"));
  }

  @Test
  void aCorruptHashIsReportedWithTheFieldAndWhatItHolds(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    TaskInspector inspector = new TaskInspector(f.session.redis(), f.keys);
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.client.getMap(f.keys.task("default", task.id())).put("attempts", "-1");

    CorruptTaskException error =
        assertThrows(CorruptTaskException.class, () -> inspector.find(task.id()));

    assertEquals(
        "task hash '"
            + task.id()
            + "' is corrupt: its field 'attempts' holds '-1', which is not a whole number >= 0",
        error.getMessage());
  }
}
