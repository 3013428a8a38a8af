package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.ProcessId;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.sandbox.OutputCap;
import dev.taskqueue.sandbox.WatAssembler;
import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.tasklog.LogLine;
import dev.taskqueue.tasklog.TaskLogs;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RedisExtension.class)
class WorkerTest {
  @TempDir Path logs;
  private WorkerFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new WorkerFixture(redis);
  }

  @AfterEach
  void tearDown() {
    f.stopWorker(Duration.ofSeconds(5));
  }

  private void start(int concurrency, List<String> queues) {
    f.startWorker(WorkerFixture.settings(logs, concurrency, queues));
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
    assertEquals(ProcessId.hostName(), greeted.workerHost().orElseThrow());
    assertEquals(
        ProcessId.hostName(),
        greeted.history().get(0).host().orElseThrow(),
        "the attempt's record names the machine that holds its log file");
    assertEquals(Stage.COMPLETED, counted.stage(), counted.toString());
    assertTrue(counted.result().orElseThrow().stored().startsWith("{\"words\":3,\"lines\":2,"));

    Path log = logs.resolve("greeter").resolve(ada.value() + ".log");
    assertEquals(log.toString(), greeted.logPath().orElseThrow());
    List<String> lines = Files.readAllLines(log);
    assertEquals(3, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith(" task attempt 1 of greeter " + ada + " on test-worker"));
    assertTrue(lines.get(1).matches("\\S+Z stdout Hello, Ada!"), lines.get(1));
    assertTrue(lines.get(2).matches("\\S+Z stderr greeter: greeted 1 name"), lines.get(2));
    assertEquals(0, f.depth("default").processing());
    assertEquals(2, f.depth("default").finished());
  }

  /** Issue 16: every attempt's lines are in Redis too, readable from any machine. */
  @Test
  void eachAttemptsOutputIsKeptInRedisWithItsTimeAttemptLeaseTokenAndStream() throws Exception {
    f.publishSample("greeter");
    f.publishWat(
        "newline-flood",
        new ModuleOptions(
            Map.of(),
            OptionalInt.empty(),
            Optional.empty(),
            OptionalLong.of(2 * OutputCap.LINE_OVERHEAD),
            OptionalLong.empty()));
    TaskId ada = f.submit("greeter", "{\"name\":\"Ada\"}");
    TaskId flood = f.submit("newline-flood", "{}");
    Instant before = Instant.now().minusMillis(1);
    start(2, List.of("default"));
    f.awaitFinal(ada);
    f.awaitFinal(flood);
    TaskLogs logs = new TaskLogs(f.session.redis(), f.keys);

    List<LogLine> greeted = logs.read("default", ada);
    List<LogLine> flooded = logs.read("default", flood);

    assertEquals(
        List.of("1 1 stdout Hello, Ada!", "1 1 stderr greeter: greeted 1 name"),
        greeted.stream()
            .map(l -> l.attempt() + " " + l.leaseToken() + " " + l.stream() + " " + l.text())
            .toList());
    assertTrue(greeted.stream().allMatch(l -> !l.time().isBefore(before)), greeted.toString());
    assertEquals(3, flooded.size(), "two empty lines, then what was cut: " + flooded);
    assertEquals(LogLine.TASK, flooded.get(2).stream());
    assertEquals(
        "output cut: 8388606 bytes past the attempt's cap of 80 bytes (the module's --max-output)",
        flooded.get(2).text());
    assertEquals(List.of(), logs.read("default", TaskId.parse(ada.value().replace('a', 'b'))));
  }

  @Test
  void aFailingTaskIsKeptWithItsErrorAndItsLog() throws Exception {
    f.publishSample("wordcount");
    TaskId id = f.submit("wordcount", "{\"txt\":1}");
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals(
        "exited with code 2; last on stderr: wordcount: payload needs a \"text\" string, e.g."
            + " {\"text\":\"hello world\"}",
        task.error().orElseThrow());
    String log = Files.readString(Path.of(task.logPath().orElseThrow()));
    assertTrue(log.contains(" stderr wordcount: payload needs a \"text\" string"), log);
  }

  @Test
  void aTaskPastItsTimeoutIsInterruptedAndFailed() throws Exception {
    f.publishWat("spin");
    TaskId id = f.submit("default", "spin", "{}", Duration.ofMillis(300));
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals("timed out after 300ms and was interrupted", task.error().orElseThrow());
  }

  /** Issue 16: what a module was uploaded with reaches its tasks, and only lowers the worker's. */
  @Test
  void aModulesGrantedEnvironmentAndOwnLimitsReachItsTasks() throws Exception {
    f.publishWat(
        "environ",
        new ModuleOptions(
            Map.of("REGION", "eu"),
            OptionalInt.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.empty()));
    f.publishWat(
        "hog",
        new ModuleOptions(
            Map.of(),
            OptionalInt.of(8),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.empty()));
    f.publishWat(
        "echo",
        new ModuleOptions(
            Map.of(),
            OptionalInt.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.of(4)));
    f.publishWat(
        "newline-flood",
        new ModuleOptions(
            Map.of(),
            OptionalInt.of(100_000),
            Optional.empty(),
            OptionalLong.of(400),
            OptionalLong.empty()));
    f.publishWat(
        "spin",
        new ModuleOptions(
            Map.of(),
            OptionalInt.empty(),
            Optional.of(Duration.ofMillis(300)),
            OptionalLong.empty(),
            OptionalLong.empty()));
    TaskId environ = f.submit("environ", "{}");
    TaskId hog = f.submit("hog", "{}");
    TaskId flood = f.submit("newline-flood", "{}");
    TaskId spin = f.submit("spin", "{}");
    TaskId echo = f.submit("echo", "12345");
    start(4, List.of("default"));

    assertEquals("REGION=eu\0", f.awaitFinal(environ).result().orElseThrow().stored());
    assertEquals(
        "the result is 5 bytes but at most 4 are allowed (the module's --max-result)",
        f.awaitFinal(echo).error().orElseThrow());
    Task hogged = f.awaitFinal(hog);
    assertEquals(Stage.COMPLETED, hogged.stage(), hogged.toString());
    assertEquals("8", hogged.result().orElseThrow().stored(), "grown to the module's 8 pages");
    Task flooded = f.awaitFinal(flood);
    List<String> log = Files.readAllLines(Path.of(flooded.logPath().orElseThrow()));
    assertEquals(1 + 400 / OutputCap.LINE_OVERHEAD + 1, log.size(), "header, 10 lines, cut line");
    assertTrue(
        log.get(log.size() - 1)
            .endsWith(" bytes past the attempt's cap of 400 bytes (the module's --max-output)"),
        log.toString());
    String spun = f.awaitFinal(spin).error().orElseThrow();
    // Its module may still be compiling at 300 ms on a busy machine: the time is what counts.
    assertTrue(
        spun.startsWith("timed out after 300ms "), "the module's, not the task's 30 s: " + spun);
  }

  /** Issue 16: a task's own limits, at submit, lower its module's and the worker's. */
  @Test
  void aTasksOwnLimitsLowerItsModulesAndTheWorkers() throws Exception {
    f.publishWat(
        "hog",
        new ModuleOptions(
            Map.of(),
            OptionalInt.of(8),
            Optional.empty(),
            OptionalLong.empty(),
            OptionalLong.empty()));
    f.publishWat("echo");
    Duration timeout = Duration.ofSeconds(30);
    TaskId lower =
        f.submit("default", "hog", "{}", timeout, limits(OptionalInt.of(4), OptionalLong.empty()));
    TaskId higher =
        f.submit("default", "hog", "{}", timeout, limits(OptionalInt.of(16), OptionalLong.empty()));
    TaskId result =
        f.submit(
            "default", "echo", "12345", timeout, limits(OptionalInt.empty(), OptionalLong.of(2)));
    start(2, List.of("default"));

    assertEquals("4", f.awaitFinal(lower).result().orElseThrow().stored(), "the task's 4 pages");
    assertEquals("8", f.awaitFinal(higher).result().orElseThrow().stored(), "the module's 8 win");
    assertEquals(
        "the result is 5 bytes but at most 2 are allowed (the task's --max-result)",
        f.awaitFinal(result).error().orElseThrow());
  }

  private static TaskLimits limits(OptionalInt pages, OptionalLong result) {
    return new TaskLimits(pages, OptionalLong.empty(), result);
  }

  /** Issue 16: a worker's maximum timeout wins over a longer one its task asks for. */
  @Test
  void aWorkersMaximumTimeoutCutsALongerOne() throws Exception {
    f.publishWat("spin");
    TaskId id = f.submit("default", "spin", "{}", Duration.ofHours(1));
    WorkerSettings capped = WorkerFixture.settings(logs, 1, List.of("default"));
    capped =
        new WorkerSettings(
            capped.workerId(),
            capped.queues(),
            capped.concurrency(),
            capped.shutdownGrace(),
            capped.limits(),
            capped.moduleCacheSize(),
            capped.logDir(),
            capped.mirrorLogs(),
            capped.maxOutputBytes(),
            Duration.ofMillis(300),
            capped.heartbeatInterval(),
            capped.leaseDuration(),
            capped.logRetention());
    f.startWorker(capped);

    String error = f.awaitFinal(id).error().orElseThrow();

    assertTrue(error.startsWith("timed out after 300ms "), error);
  }

  @Test
  void aTaskWhoseModuleWasRemovedIsDeadAtOnceWithAClearError() throws Exception {
    f.publishSample("greeter");
    TaskId id = f.submitWithRetries("greeter", "{}", 3);
    f.remover.remove("greeter", true);
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals(1, task.attempts(), "no retry: each would find the module gone");
    String error = task.error().orElseThrow();
    assertTrue(error.startsWith("cannot load module greeter v1 ("), error);
    assertTrue(
        error.endsWith("registry rm --force'?); not retried, since every retry would find it gone"),
        error);
  }

  /**
   * A worker that knew a version's options before it was removed (they are kept) finds its bytes
   * gone when it loads the module: the task is dead at once too. Here the bytes alone are deleted.
   */
  @Test
  void aTaskWhoseModuleBytesAreGoneIsDeadAtOnce() throws Exception {
    ModuleVersion module = f.publishSample("greeter");
    TaskId id = f.submitWithRetries("greeter", "{}", 3);
    f.client.getBucket(f.keys.moduleBlob(module.digest())).delete();
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals(1, task.attempts());
    assertTrue(
        task.error().orElseThrow().contains("its bytes are no longer in the registry"),
        task.error().orElseThrow());
  }

  /**
   * Issue 12, item 7: a corrupt hash claimed in the same batch as healthy ones is failed alone,
   * with its lease, and the others run. Four slots, so that one claim takes all of them.
   */
  @Test
  void aCorruptTaskIsFailedAloneAndTheRestOfItsBatchRuns() throws Exception {
    f.publishSample("greeter");
    TaskId first = f.submit("greeter", "{}");
    TaskId corrupt = f.submitWithRetries("greeter", "{}", 3);
    TaskId last = f.submit("greeter", "{}");
    f.client.getMap(f.keys.task("default", corrupt)).fastRemove("created_at");
    start(4, List.of("default"));

    assertEquals(Stage.COMPLETED, f.awaitFinal(first).stage());
    assertEquals(Stage.COMPLETED, f.awaitFinal(last).stage());
    Map<String, String> failed = awaitFailed(corrupt);
    assertEquals(
        "task hash '" + corrupt + "' is corrupt: it lacks the field 'created_at'",
        failed.get("error"));
    assertEquals("1", failed.get("attempts"), "dead at once: a retry would claim the same hash");
    assertEquals(new Depth(0, 0, 2, 0, 0, 1), f.depth("default"), "nothing left leased");
  }

  /** Issue 12, item 9: a name from Redis never makes a log file outside the log folder. */
  @Test
  void aTaskWhoseNameIsAPathIsFailedAndLogsNowhere() throws Exception {
    f.publishSample("greeter");
    TaskId id = f.submit("greeter", "{}");
    f.client.getMap(f.keys.task("default", id)).put("name", "../../../../escape");
    start(1, List.of("default"));

    Map<String, String> failed = awaitFailed(id);
    assertTrue(failed.get("error").contains("is not a task name"), failed.get("error"));
    Path escaped = logs.resolve("../../../../escape").resolve(id + ".log").normalize();
    assertTrue(Files.notExists(escaped), escaped + " was written");
    try (Stream<Path> files = Files.walk(logs)) {
      assertEquals(List.of(logs), files.toList(), "nothing in the log folder either");
    }
  }

  /** A corrupt task cannot be read as a Task: its hash, once failed. */
  private Map<String, String> awaitFailed(TaskId id) throws InterruptedException {
    return Eventually.await(
        () -> f.client.<String, String>getMap(f.keys.task("default", id)).readAllMap(),
        hash -> "dead".equals(hash.get("stage")),
        Duration.ofSeconds(10),
        "task " + id + " failing");
  }

  @Test
  void stoppingLetsRunningTasksFinishWithinTheGrace() throws Exception {
    f.publishSample("checksum");
    TaskId id = f.submit("checksum", "{\"bytes\":262144,\"rounds\":4}");
    start(1, List.of("default"));
    f.await(id, t -> t.stage() != Stage.PENDING, Duration.ofSeconds(10));

    f.stopWorker(Duration.ofSeconds(30));

    assertEquals(Stage.COMPLETED, f.task(id).stage());
  }

  @Test
  void stoppingReleasesWhatCannotFinishWithinTheGrace() throws Exception {
    f.publishWat("spin");
    TaskId id = f.submit("default", "spin", "{}", Duration.ofMinutes(5));
    TaskId waiting = f.submit("default", "spin", "{}", Duration.ofMinutes(5));
    start(1, List.of("default"));
    f.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));

    f.stopWorker(Duration.ofMillis(200));

    Task released = f.task(id);
    assertEquals(Stage.PENDING, released.stage());
    assertEquals(1, released.attempts());
    assertEquals(Stage.PENDING, f.task(waiting).stage(), "never claimed after the stop");
    assertEquals(
        List.of(waiting.value(), id.value()),
        f.client.getList(f.keys.pending("default")).readAll(),
        "the released task is at the front");
    assertEquals(0, f.depth("default").processing());
    assertEquals(0, f.depth("default").leased());
  }

  /** Issue 12, item 4: a guest asleep in a host function times out as a timeout, not a trap. */
  @Test
  void aSleepingTaskPastItsTimeoutIsTimedOut() throws Exception {
    f.publishWat("sleep");
    TaskId id = f.submit("default", "sleep", "{}", Duration.ofMillis(300));
    start(1, List.of("default"));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals("timed out after 300ms and was interrupted", task.error().orElseThrow());
  }

  /** Issue 12, item 4: and a stopping worker puts it back in its queue. */
  @Test
  void stoppingReleasesASleepingTask() throws Exception {
    f.publishWat("sleep");
    TaskId id = f.submit("default", "sleep", "{}", Duration.ofMinutes(5));
    start(1, List.of("default"));
    f.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));

    f.stopWorker(Duration.ofMillis(200));

    assertEquals(Stage.PENDING, f.task(id).stage());
    assertEquals(new Depth(1, 0, 0, 0, 0, 0), f.depth("default"));
  }

  /**
   * Issue 12, item 6: a module whose declared sizes no worker can afford (stored past the
   * registry's check) fails its task with one line; the worker goes on with the next.
   */
  @Test
  void aModuleNoWorkerCanAffordFailsItsTaskAndTheWorkerGoesOn() throws Exception {
    f.publishWat("many-tables");
    f.publishSample("greeter");
    TaskId huge = f.submit("many-tables", "{}");
    TaskId next = f.submit("greeter", "{}");
    start(1, List.of("default"));

    Task failed = f.awaitFinal(huge);

    String error = failed.error().orElseThrow();
    assertEquals(Stage.DEAD, failed.stage());
    assertTrue(error.startsWith("cannot load module many-tables v1 ("), error);
    assertTrue(error.contains("is too large for a worker: it has 60 tables"), error);
    assertEquals(Stage.COMPLETED, f.awaitFinal(next).stage());
  }

  /**
   * Issue 12, item 5: the timeout counts from the claim, so loading the module counts. A module of
   * many functions takes far longer than 200 ms to compile; the task times out while it loads.
   * Uploaded after the worker started, so that it is not compiled before the first claim ({@link
   * ModulePreload}).
   */
  @Test
  void loadingTheModuleCountsAgainstTheTimeout() throws Exception {
    start(1, List.of("default"));
    f.publish("big", WatAssembler.assemble(manyFunctions(20_000), "big.wat"));
    TaskId id = f.submit("default", "big", "{}", Duration.ofMillis(200));

    Task task = f.awaitFinal(id);

    assertEquals(Stage.DEAD, task.stage());
    assertEquals(
        "timed out after 200ms while its module was still loading (loading goes on for the next"
            + " attempt)",
        task.error().orElseThrow());
    long ran =
        Duration.between(task.startedAt().orElseThrow(), task.finishedAt().orElseThrow())
            .toMillis();
    assertTrue(ran < 5_000, "ended at its timeout, not after the compile: " + ran + " ms");
  }

  /** An echo task with {@code count} more functions, each a little arithmetic. */
  private static String manyFunctions(int count) {
    StringBuilder wat =
        new StringBuilder(
            "(module (memory (export \"memory\") 1) (func (export \"_initialize\"))"
                + " (func (export \"alloc\") (param i32) (result i32) (i32.const 1024))"
                + " (func (export \"execute\") (param i32 i32) (result i64)"
                + " (i64.or (i64.shl (i64.extend_i32_u (local.get 0)) (i64.const 32))"
                + " (i64.extend_i32_u (local.get 1))))");
    for (int i = 0; i < count; i++) {
      wat.append(" (func (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const ")
          .append(i)
          .append(")) (i32.const 7)))");
    }
    return wat.append(")").toString();
  }
}
