package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network between one worker and Redis is cut, for longer than a lease, while another worker
 * and the reaper still reach Redis; then it heals. The reaper takes the cut-off worker's tasks over
 * and the other worker runs them; what the cut-off worker sent meanwhile (its claims, its outcomes,
 * its heartbeats) reaches Redis late or not at all, and changes nothing it no longer holds. Once
 * healed, it claims and completes tasks again. Every task completes once.
 */
@ExtendWith(RedisExtension.class)
class NetworkCutIT {
  private static final int TASKS = 1000;

  /**
   * The cut-off worker's command timeout: the cut lasts several of them, so that its commands time
   * out and are sent again, its connections are given up and made anew, while nothing gets through.
   */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  /** How long the cut lasts at least; longer if the reaper takes longer to take every task over. */
  private static final Duration LEAST_CUT = TIMEOUT.multipliedBy(5);

  @Test
  void aWorkerCutOffFromRedisLosesItsTasksToAnotherAndWorksOnWhenTheLinkHeals(
      TestRedis redis, @TempDir Path dir) throws Exception {
    E2e e2e = new E2e(redis, dir);
    Executables.ok(e2e.bin.run("registry", "upload", E2e.module("nap.wat").toString()));
    List<TaskId> ids = e2e.submitBatch(E2e.batchLines("nap", "100", TASKS));

    Instant cutAt;
    Instant healedAt;
    try (NetworkCut network = new NetworkCut(redis.port())) {
      Process cutOff =
          e2e.bin.start(
              "worker",
              dir.resolve("cut.log"),
              Map.of(
                  "REDIS_URL",
                  network.url(),
                  "TASK_QUEUE_REDIS_TIMEOUT",
                  TIMEOUT.toMillis() + "ms"),
              "--worker-id",
              "cut",
              "--concurrency",
              "8");
      Process reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
      Process other = null;
      try {
        Eventually.await(
            () -> leasedTo(e2e, "cut"), n -> n > 0, Duration.ofSeconds(60), "tasks leased to cut");
        other = e2e.workerUp("other", "--concurrency", "8");

        network.cut();
        cutAt = Instant.now();
        Eventually.await(
            () -> leasedTo(e2e, "cut"),
            n -> n == 0,
            Duration.ofSeconds(30),
            "the reaper taking over every task leased to cut");
        Thread.sleep(
            Math.max(0, Duration.between(Instant.now(), cutAt.plus(LEAST_CUT)).toMillis()));
        network.heal();
        healedAt = Instant.now();

        Eventually.await(
            () -> e2e.depth("default"), Depth::settled, Duration.ofMinutes(3), "every task ending");
      } finally {
        Executables.terminateAll(
            other == null ? List.of(cutOff, reaper) : List.of(cutOff, other, reaper));
      }
    }

    int lostByCut = 0;
    int completedByCutAfterHeal = 0;
    for (TaskId id : ids) {
      Task task = e2e.task(id);
      assertEquals(Stage.COMPLETED, task.stage(), task.toString());
      List<Attempt> history = task.history();
      assertEquals(
          1,
          history.stream().filter(a -> a.outcome().equals("completed")).count(),
          "completed once: " + history);
      lostByCut +=
          (int)
              history.stream()
                  .filter(a -> a.outcome().equals("lost") && a.worker().orElse("").equals("cut"))
                  .count();
      if (task.workerId().orElseThrow().equals("cut")
          && task.finishedAt().orElseThrow().isAfter(healedAt)) {
        completedByCutAfterHeal++;
      }
    }
    List<String> finished = e2e.client.<String>getList(e2e.keys.finished("default")).readAll();
    System.out.printf(
        "[network cut] %d tasks; the link cut for %d ms; %d attempts of the cut-off worker lost;"
            + " %d tasks completed by it after the link healed%n",
        TASKS, Duration.between(cutAt, healedAt).toMillis(), lostByCut, completedByCutAfterHeal);
    assertEquals(TASKS, finished.size());
    assertEquals(TASKS, new HashSet<>(finished).size(), "no task completed twice");
    assertEquals(new Depth(0, 0, TASKS, 0, 0, 0), e2e.depth("default"));
    assertTrue(lostByCut > 0, "the cut took tasks from the cut-off worker");
    assertTrue(completedByCutAfterHeal > 0, "the cut-off worker claims again once healed");
    String log = Files.readString(dir.resolve("cut.log"));
    assertFalse(log.contains("bug:"), log);
    // An outage the worker rides out, the outcomes it could not record included, is warned of: an
    // error would page someone for what the reaper mends by itself. (The Redis client's own lines,
    // a connection's failed PING say, carry no event and are its to judge.)
    assertEquals(
        List.of(),
        log.lines().filter(line -> line.contains(" ERROR ") && line.contains(" event=")).toList(),
        log);
  }

  /** How many tasks in processing are leased to {@code worker}. */
  private static int leasedTo(E2e e2e, String worker) {
    return Collections.frequency(e2e.holders("default"), worker);
  }
}
