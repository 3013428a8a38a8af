package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class WorkerTest {
  @TempDir Path logs;
  private WorkerFixture f;
  private Worker worker;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new WorkerFixture(redis);
  }

  @AfterEach
  void tearDown() {
    if (worker != null) {
      worker.stop(Duration.ofSeconds(5));
    }
  }

  private void start(int concurrency, List<String> queues) {
    worker =
        new Worker(WorkerFixture.settings(logs, concurrency, queues), f.session, Clock.systemUTC());
    worker.start();
  }

  @Test
  void runsTasksStoresResultsAndWritesOneLogPerTask() throws Exception {
    f.publishSample("greeter");
    f.publishSample("wordcount");
    TaskId ada = f.submit("greeter", "{\"name\":\"Ada\"}");
    TaskId words = f.submit("wordcount", "{\"text\":\"one two\\nthree\"}");
    start(2, List.of("default"));

    Task greeted = f.awaitFinal(ada);
    Task counted = f.awaitFinal(words);

    assertEquals(Stage.COMPLETED, greeted.stage(), greeted.toString());
    assertEquals("{\"greeting\":\"Hello, Ada!\"}", greeted.result().orElseThrow().stored());
    assertEquals("test-worker", greeted.workerId().orElseThrow());
    assertEquals(Stage.COMPLETED, counted.stage(), counted.toString());
    assertTrue(counted.result().orElseThrow().stored().startsWith("{\"words\":3,\"lines\":2,"));

    Path log = logs.resolve("greeter").resolve(ada.value() + ".log");
    assertEquals(log.toString(), greeted.logPath().orElseThrow());
    List<String> lines = Files.readAllLines(log);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith(" task attempt 1 of greeter " + ada + " on test-worker"));
    assertTrue(lines.get(1).matches("\\S+Z stdout Hello, Ada!"), lines.get(1));
    assertTrue(lines.get(2).matches("\\S+Z stderr greeter: greeted 1 name"), lines.get(2));
    assertEquals(0, f.inspector.depth("default").processing());
    assertEquals(2, f.inspector.depth("default").finished());
  }

  @Test
  void aFailingTaskIsKeptWithItsErrorAndItsLog() throws Exception {
    f.publishSample("wordcount");
    TaskId id = f.submit("wordcount", "{\"txt\":1}");
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.FAILED, task.stage());
    assertEquals("exited with code 2 instead of returning a result", task.error().orElseThrow());
    String log = Files.readString(Path.of(task.logPath().orElseThrow()));
    assertTrue(log.contains(" stderr wordcount: payload needs a \"text\" string"), log);
  }

  @Test
  void aTaskPastItsTimeoutIsInterruptedAndFailed() throws Exception {
    f.publishWat("spin");
    TaskId id = f.submit("default", "spin", "{}", Duration.ofMillis(300));
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.FAILED, task.stage());
    assertEquals("timed out after 300ms and was interrupted", task.error().orElseThrow());
  }

  @Test
  void aTaskWhoseModuleWasRemovedFailsWithAClearError() throws Exception {
    f.publishSample("greeter");
    TaskId id = f.submit("greeter", "{}");
    f.modules.remove("greeter");
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.FAILED, task.stage());
    assertTrue(
        task.error().orElseThrow().startsWith("cannot load module greeter v1 ("),
        task.error().orElseThrow());
    assertTrue(task.error().orElseThrow().endsWith("registry rm --force'?)"));
  }

  @Test
  void aCorruptTaskHashDoesNotStopTheWorker() throws Exception {
    f.publishSample("greeter");
    TaskId corrupt = f.submit("greeter", "{}");
    f.session.redis().getMap(f.keys.task("default", corrupt)).fastRemove("max_retries");
    TaskId fine = f.submit("greeter", "{}");
    start(1, List.of("default"));

    assertEquals(Stage.COMPLETED, f.awaitFinal(fine).stage());
    assertEquals(1, f.inspector.depth("default").leased(), "the corrupt one stays leased");
  }

  @Test
  void earlierQueuesAreServedFirst() throws Exception {
    f.publishSample("greeter");
    TaskId low = f.submit("default", "greeter", "{}", Duration.ofSeconds(30));
    TaskId high = f.submit("critical", "greeter", "{}", Duration.ofSeconds(30));
    start(1, List.of("critical", "default"));

    Task lowTask = f.awaitFinal(low);
    Task highTask = f.awaitFinal(high);

    assertTrue(
        highTask.startedAt().orElseThrow().compareTo(lowTask.startedAt().orElseThrow()) <= 0,
        "critical started first");
    assertTrue(
        highTask.finishedAt().orElseThrow().compareTo(lowTask.startedAt().orElseThrow()) <= 0);
  }

  @Test
  void stoppingLetsRunningTasksFinishWithinTheGrace() throws Exception {
    f.publishSample("checksum");
    TaskId id = f.submit("checksum", "{\"bytes\":262144,\"rounds\":4}");
    start(1, List.of("default"));
    f.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));

    worker.stop(Duration.ofSeconds(30));
    worker = null;

    assertEquals(Stage.COMPLETED, f.task(id).stage());
  }

  @Test
  void stoppingReleasesWhatCannotFinishWithinTheGrace() throws Exception {
    f.publishWat("spin");
    TaskId id = f.submit("default", "spin", "{}", Duration.ofMinutes(5));
    TaskId waiting = f.submit("default", "spin", "{}", Duration.ofMinutes(5));
    start(1, List.of("default"));
    f.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));

    worker.stop(Duration.ofMillis(200));
    worker = null;

    Task released = f.task(id);
    assertEquals(Stage.PENDING, released.stage());
    assertEquals(1, released.attempts());
    assertEquals(Stage.PENDING, f.task(waiting).stage(), "never claimed after the stop");
    assertEquals(
        List.of(waiting.value(), id.value()),
        f.session.redis().getList(f.keys.pending("default")).readAll(),
        "the released task is at the front");
    assertEquals(0, f.inspector.depth("default").processing());
    assertEquals(0, f.inspector.depth("default").leased());
  }
}
