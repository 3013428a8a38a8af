package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.support.Depth;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos: three worker processes and a reaper drain 2,000 tasks while a worker is killed with
 * SIGKILL about every second (each kill aimed at a worker holding a running task) and started
 * again. At the end every task is completed or dead, none is pending, running, retrying or leased,
 * and none completed twice. Prints the counts and the longest time from a kill until the killed
 * worker's task ran again.
 */
@ExtendWith(RedisExtension.class)
class ChaosIT {
  private static final int TASKS = 2000;
  private static final int WORKERS = 3;

  /** Kills stop after this many, so the run ends in bounded time on a slow machine. */
  private static final int MAX_KILLS = 30;

  /** How long a kill waits for a worker that holds a running task before it takes any. */
  private static final Duration AIM = Duration.ofSeconds(2);

  private final Random random = new Random();
  private final Map<String, Instant> killedAt = new HashMap<>();

  @Test
  void workersKilledAtRandomLoseNoTaskAndCompleteNoneTwice(TestRedis redis, @TempDir Path dir)
      throws Exception {
    E2e e2e = new E2e(redis, dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.module("nap.wat").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    List<TaskId> ids = enqueue(e2e);
    Process reaper = e2e.bin.start("reaper", dir.resolve("reaper.log"));
    Process[] workers = new Process[WORKERS];
    String[] names = new String[WORKERS];
    int started = 0;
    for (int i = 0; i < WORKERS; i++) {
      names[i] = "w" + i + "-" + started++;
      workers[i] = start(e2e, dir, names[i]);
    }
    int kills = 0;
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    try {
      while (kills < MAX_KILLS && !e2e.depth("default").settled()) {
        Thread.sleep(700 + random.nextInt(600));
        int victim = victim(e2e, names);
        Executables.kill(workers[victim]);
        killedAt.put(names[victim], Instant.now());
        kills++;
        names[victim] = "w" + victim + "-" + started++;
        workers[victim] = start(e2e, dir, names[victim]);
      }
      Eventually.await(
          () -> e2e.depth("default"),
          Depth::settled,
          Duration.between(Instant.now(), deadline),
          "every task ending");
    } finally {
      for (Process worker : workers) {
        Executables.terminate(worker, Duration.ofSeconds(60));
      }
      assertEquals(0, Executables.terminate(reaper, Duration.ofSeconds(60)));
    }

    int completed = 0;
    int dead = 0;
    int lost = 0;
    Duration longestReap = Duration.ZERO;
    Duration longestRerun = Duration.ZERO;
    for (TaskId id : ids) {
      Task task = e2e.task(id);
      assertTrue(task.stage() == Stage.COMPLETED || task.stage() == Stage.DEAD, task.toString());
      List<Attempt> history = task.history();
      long completions = history.stream().filter(a -> a.outcome().equals("completed")).count();
      if (task.stage() == Stage.COMPLETED) {
        completed++;
        assertEquals(1, completions, "completed once: " + history);
      } else {
        dead++;
        assertEquals(0, completions, history.toString());
      }
      for (int i = 0; i + 1 < history.size(); i++) {
        Attempt attempt = history.get(i);
        if (attempt.outcome().equals("lost")) {
          lost++;
          Instant kill = killedAt.get(attempt.worker().orElseThrow());
          if (kill != null) {
            longestReap = longer(longestReap, Duration.between(kill, attempt.endedAt()));
            Instant next = history.get(i + 1).startedAt().orElseThrow();
            longestRerun = longer(longestRerun, Duration.between(kill, next));
          }
        }
      }
    }
    List<String> finished = e2e.client.<String>getList(e2e.keys.finished("default")).readAll();
    System.out.printf(
        "[chaos] %d tasks, %d kills: %d completed, %d dead, %d attempts lost to kills; longest"
            + " from a kill to its task recovered %d ms, to it running again %d ms%n",
        TASKS, kills, completed, dead, lost, longestReap.toMillis(), longestRerun.toMillis());
    assertEquals(TASKS, completed + dead);
    assertEquals(completed, finished.size());
    assertEquals(completed, new HashSet<>(finished).size(), "no task completed twice");
    assertEquals(new Depth(0, 0, completed, 0, 0, dead), e2e.depth("default"));
    assertTrue(kills >= 5, "the workers were killed " + kills + " times");
    assertTrue(lost > 0, "kills hit running tasks");
    // The lease (3 s) plus the reaper's wake-up; running again also needs a live worker with a
    // free slot, which a test killing one of three JVMs every second does not always leave.
    assertTrue(longestReap.compareTo(Duration.ofSeconds(5)) < 0, "longest recovery " + longestReap);
  }

  /**
   * A worker that holds a running task, chosen at random, so that the kill takes an attempt with
   * it; any worker when none holds one within {@link #AIM}. Killing at random alone can miss every
   * attempt: a worker killed every second or so spends much of its life starting, and on a slow
   * machine a run once saw 30 kills land only on starting workers.
   */
  private int victim(E2e e2e, String[] names) throws InterruptedException {
    Instant until = Instant.now().plus(AIM);
    do {
      Set<String> holding = new HashSet<>(e2e.holders("default"));
      List<Integer> busy = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (holding.contains(names[i])) {
          busy.add(i);
        }
      }
      if (!busy.isEmpty()) {
        return busy.get(random.nextInt(busy.size()));
      }
      Thread.sleep(50);
    } while (Instant.now().isBefore(until));
    return random.nextInt(names.length);
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private Process start(E2e e2e, Path dir, String name) {
    return e2e.bin.start(
        "worker", dir.resolve(name + ".log"), "--worker-id", name, "--concurrency", "4");
  }

  /** 2,000 tasks of 50 ms each, many retries with short backoffs, so that nearly all complete. */
  private static List<TaskId> enqueue(E2e e2e) {
    ModuleVersion module = new ModuleStore(e2e.session.redis(), e2e.keys).require("nap");
    TaskEnqueuer enqueuer = new TaskEnqueuer(e2e.session.redis(), e2e.keys);
    TaskIdGenerator generator = new TaskIdGenerator(Clock.systemUTC());
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      TaskId id = generator.next();
      enqueuer.enqueue(
          new NewTask(
              id,
              "default",
              "nap",
              module.digest(),
              module.version(),
              Kind.IMMEDIATE,
              "50",
              20,
              new RetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)),
              Duration.ofSeconds(30),
              Clock.systemUTC().instant()));
      ids.add(id);
    }
    return ids;
  }
}
