package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Workers that are killed or told to stop never lose a task. */
@ExtendWith(RedisExtension.class)
class CrashIT {
  private E2e e2e;
  private Path dir;

  @BeforeEach
  void setUp(TestRedis redis, @TempDir Path dir) {
    this.dir = dir;
    this.e2e = new E2e(redis, dir);
    upload(E2e.module("spin.wat"));
    upload(E2e.module("nap.wat"));
    upload(E2e.sample("checksum.wasm"));
    upload(E2e.sample("greeter.wasm"));
  }

  /**
   * kill -9 of the worker running a task: with default settings, another worker runs it again
   * within 5 s (the lease expires, the reaper ends the attempt as lost, the retry's backoff passes)
   * and completes it once; the task shows both attempts.
   */
  @Test
  void aTaskWhoseWorkerIsKilledRunsAgainElsewhereWithinFiveSecondsAndCompletesOnce()
      throws Exception {
    TaskId id = e2e.bin.submit("nap", "3000", "--timeout", "1m");
    Process first = e2e.bin.start("worker", dir.resolve("w1.log"), "--worker-id", "first");
    Process reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
    Process second = null;
    try {
      Task running = e2e.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));
      assertEquals("first", running.workerId().orElseThrow());
      // The second worker is up (its heartbeat is recorded) before the first one dies.
      second = e2e.workerUp("second");

      Executables.kill(first);
      runningAgainWithinFiveSeconds(id, Instant.now(), "kill -9");

      Task done = e2e.awaitFinal(id);
      assertEquals(Stage.COMPLETED, done.stage());
      assertEquals("second", done.workerId().orElseThrow());
      assertEquals(2, done.attempts(), "the death counted as an attempt");
      assertEquals(
          List.of("lost", "completed"), done.history().stream().map(Attempt::outcome).toList());
      assertEquals("first", done.history().get(0).worker().orElseThrow());
      String host = InetAddress.getLocalHost().getHostName();
      assertEquals(
          List.of(host, host),
          done.history().stream().map(a -> a.host().orElseThrow()).toList(),
          "each attempt names its worker's machine, the killed one's too");
      Result status = e2e.bin.run("producer", "status", id.value());
      assertEquals(0, status.exitCode(), status.toString());
      String h = Pattern.quote(host);
      assertTrue(
          status.stdout().matches("(?s).*\\n  #1 +lost .* first +" + h + " +worker first .*"),
          "the history names each attempt's worker and host:\n" + status.stdout());
      assertTrue(
          status.stdout().matches("(?s).*\\n  #2 +completed .* second +" + h + " +- .*"),
          status.stdout());
      assertEquals(
          List.of(id.value()),
          e2e.client.<String>getList(e2e.keys.finished("default")).readAll(),
          "completed once");
      Depth depth = e2e.depth("default");
      assertTrue(depth.settled(), depth.toString());
    } finally {
      if (second != null) {
        assertEquals(0, Executables.terminate(second, Duration.ofSeconds(60)));
      }
      assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(60)));
    }
    String reaperLog = Files.readString(dir.resolve("reaper.log"));
    assertTrue(reaperLog.contains("event=task.lost"), reaperLog);
  }

  /**
   * A worker that stands still (SIGSTOP: a long garbage collection, a frozen VM) past its lease:
   * its task runs again elsewhere as a killed worker's does. When it goes on, the outcome it then
   * reaches is discarded, since the lease is another's, and it claims and completes tasks again.
   */
  @Test
  void aFrozenWorkersTaskRunsElsewhereAndWhenItThawsItsOutcomeIsDiscardedAndItWorksOn()
      throws Exception {
    TaskId id = e2e.bin.submit("nap", "3000", "--timeout", "1m");
    Process first = e2e.bin.start("worker", dir.resolve("w1.log"), "--worker-id", "first");
    Process reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
    Process second = null;
    try {
      e2e.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));
      second = e2e.workerUp("second");
      Executables.freeze(first);
      Task again = runningAgainWithinFiveSeconds(id, Instant.now(), "SIGSTOP");
      Executables.thaw(first);
      assertEquals("second", again.workerId().orElseThrow());

      Task done = e2e.awaitFinal(id);
      assertEquals(Stage.COMPLETED, done.stage());
      assertEquals(
          "second", done.workerId().orElseThrow(), "the thawed worker's outcome is not it");
      assertEquals(
          List.of("lost", "completed"), done.history().stream().map(Attempt::outcome).toList());
      assertEquals(
          List.of(id.value()),
          e2e.client.<String>getList(e2e.keys.finished("default")).readAll(),
          "completed once");
      // Redis refuses the thawed worker's ending, the lease being another's: it is discarded. Had
      // the worker's connection to be made anew first, the ending might not reach Redis before
      // the worker's own count of the lease ran out: then it is dropped unsent.
      Eventually.await(
          () -> Executables.logSoFar(dir.resolve("w1.log")),
          log ->
              log.lines()
                  .anyMatch(
                      line ->
                          line.contains(id.value())
                              && (line.contains("event=task.outcome_discarded")
                                  || line.contains("event=task.unrecorded"))),
          Duration.ofSeconds(30),
          "the thawed worker giving its outcome up");

      // With the second worker gone, the thawed one takes what comes next.
      assertEquals(0, Executables.terminate(second, Duration.ofSeconds(60)));
      TaskId next = e2e.bin.submit("nap", "10");
      Task nextDone = e2e.awaitFinal(next);
      assertEquals(Stage.COMPLETED, nextDone.stage());
      assertEquals("first", nextDone.workerId().orElseThrow());
      assertEquals(0, Executables.terminate(first, Duration.ofSeconds(60)));
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
      }
      assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(60)));
    }
    String log = Files.readString(dir.resolve("w1.log"));
    assertFalse(log.contains("bug:"), log);
  }

  /**
   * Waits for the task to run again under a new lease, and requires that to be within 5 s of {@code
   * since}, when its first worker was {@code how} (killed or frozen).
   */
  private Task runningAgainWithinFiveSeconds(TaskId id, Instant since, String how)
      throws InterruptedException {
    Task again =
        e2e.await(
            id, t -> t.stage() == Stage.IN_PROGRESS && t.leaseToken() == 2, Duration.ofSeconds(30));
    Duration recovery = Duration.between(since, again.startedAt().orElseThrow());
    System.out.println(
        "[recovery] the task running again on "
            + again.workerId().orElseThrow()
            + " "
            + recovery.toMillis()
            + " ms after "
            + how);
    assertTrue(recovery.compareTo(Duration.ofSeconds(5)) < 0, "recovery took " + recovery);
    return again;
  }

  @Test
  void sigtermLetsTheRunningTaskFinishThenExitsZero() throws Exception {
    TaskId id = e2e.bin.submit("checksum", "{\"bytes\":4194304,\"rounds\":2}", "--timeout", "5m");
    Process worker = e2e.bin.start("worker", dir.resolve("w.log"));
    e2e.await(id, t -> t.stage() != Stage.PENDING, Duration.ofSeconds(60));

    assertEquals(0, Executables.terminate(worker, Duration.ofMinutes(2)));

    assertEquals(Stage.COMPLETED, e2e.task(id).stage());
  }

  @Test
  void sigtermPastTheGraceReleasesTheTaskToItsQueueThenExitsZero() throws Exception {
    TaskId id = e2e.bin.submit("spin", "{}", "--timeout", "5m");
    Process worker = e2e.bin.start("worker", dir.resolve("w.log"), "--shutdown-grace", "500ms");
    e2e.await(id, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(60));

    assertEquals(0, Executables.terminate(worker, Duration.ofSeconds(60)));

    Task released = e2e.task(id);
    assertEquals(Stage.PENDING, released.stage());
    assertEquals(1, released.attempts());
    assertEquals(
        List.of(id.value()), e2e.client.<String>getList(e2e.keys.pending("default")).readAll());
    assertEquals(0, e2e.depth("default").processing());
  }

  private void upload(Path module) {
    Result upload = e2e.bin.run("registry", "upload", module.toString());
    assertEquals(0, upload.exitCode(), upload.toString());
  }
}
