package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: every executable against a three-master Redis Cluster, as an ACL user limited to the
 * product's keys, with queues whose keys live on different masters: upload, submit, work, schedule,
 * cron, reap, dead-letter replay, pause, and the admin commands, with no CROSSSLOT error; an idle
 * worker wakes at once for work in any queue.
 */
class ClusterIT {
  private static final String PREFIX = "tcl";
  private static final String PASSWORD = "cluster-s3cret";
  private static final List<String> QUEUES = List.of("default", "images", "search");

  @TempDir Path dir;
  private RedisCluster cluster;
  private Executables bin;
  private Keys keys;
  private Redis redis;
  private TaskInspector inspector;

  @BeforeEach
  void setUp() {
    cluster = RedisCluster.start();
    // The executables log in as a user limited to the product's keys and channels, as in AclIT.
    cluster.setUser("tq", AclIT.limitedTo(PREFIX, PASSWORD).toArray(String[]::new));
    bin =
        new Executables(
            Map.of(
                "REDIS_URL", cluster.url("tq:" + PASSWORD),
                "TASK_QUEUE_KEY_PREFIX", PREFIX,
                "TASK_QUEUE_QUEUES", String.join(",", QUEUES),
                "TASK_QUEUE_WASM_LOG_DIR", dir.resolve("wasm-logs").toString()),
            dir);
    keys = new Keys(PREFIX);
    redis = new Redis(TestSessions.client(cluster.url()));
    inspector = new TaskInspector(redis, keys);
  }

  @AfterEach
  void tearDown() {
    TestSessions.forget(cluster.url());
    cluster.close();
  }

  @Test
  void everyExecutableWorksAcrossTheClustersSlots() throws Exception {
    // The queues' keys, and the registry's, are spread over the three masters' slot ranges.
    Set<Integer> masters = new TreeSet<>();
    for (String queue : QUEUES) {
      masters.add(redis.slot(keys.pending(queue)) * 3 / 16384);
    }
    assertEquals(3, masters.size(), "one queue per master: " + masters);

    Executables.ok(
        bin.run(
            "registry",
            "upload",
            E2e.sample("greeter.wasm").toString(),
            E2e.module("trap.wat").toString(),
            E2e.module("nap.wat").toString()));
    List<Process> processes = bin.startAll(dir, "scheduler", "reaper");
    try {

      // A worker killed in the middle of a task: the reaper ends the attempt as lost, and the
      // task runs again on the next worker.
      Process doomed =
          bin.start("worker", dir.resolve("doomed.log"), Map.of("TASK_QUEUE_QUEUES", "images"));
      TaskId napping = submit("images", "nap", "3000");
      await(napping, t -> t.stage() == Stage.IN_PROGRESS);
      doomed.destroyForcibly().waitFor();
      processes.add(bin.start("worker", dir.resolve("worker.log")));
      Task recovered = await(napping, t -> t.stage() == Stage.COMPLETED);
      assertEquals(2, recovered.attempts(), "lost once, then run again");

      // Each queue's task wakes the idle worker: started within moments of its submit, not at
      // its next claim round, a second later.
      List<Long> delays = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (String queue : QUEUES) {
          Thread.sleep(300); // idle again
          Task done = await(submit(queue, "greeter", "{}"), t -> t.stage() == Stage.COMPLETED);
          delays.add(
              done.startedAt().orElseThrow().toEpochMilli() - done.createdAt().toEpochMilli());
        }
      }
      delays.sort(null);
      assertTrue(delays.get(delays.size() / 2) < 250, "submit to start, ms: " + delays);

      TaskId later = submit("images", "greeter", "{}", "--in", "1s");
      assertEquals(Stage.COMPLETED, await(later, t -> t.stage().isFinal()).stage(), "promoted");

      Executables.ok(
          bin.run(
              "producer",
              "cron",
              "add",
              "--name",
              "every-second",
              "--queue",
              "search",
              "--task",
              "greeter",
              "--cron",
              "* * * * * *",
              "--payload",
              "{}"));
      Eventually.await(
          () -> redis.llen(keys.finished("search")),
          n -> n >= 5,
          Duration.ofSeconds(30),
          "cron firings completed in reports");
      Executables.ok(bin.run("producer", "cron", "rm", "every-second"));

      TaskId trap = submit("default", "trap", "{}", "--max-retries", "0");
      assertEquals(Stage.DEAD, await(trap, t -> t.stage().isFinal()).stage());
      Executables.ok(bin.run("producer", "dlq", "replay", trap.value()));
      await(trap, t -> t.stage() == Stage.DEAD && t.history().size() == 2);

      Executables.ok(bin.run("producer", "pause", "search"));
      TaskId held = submit("search", "greeter", "{}");
      Thread.sleep(1500);
      assertEquals(Stage.PENDING, await(held, t -> true).stage(), "paused");
      Executables.ok(bin.run("producer", "resume", "search"));
      await(held, t -> t.stage() == Stage.COMPLETED);

      for (String command : List.of("stats", "queues", "workers")) {
        Executables.ok(bin.run("producer", command));
      }
      Executables.ok(bin.run("producer", "inspect", "--queue", "search", "--stage", "completed"));
      Executables.ok(bin.run("producer", "status", napping.value()));
      Executables.ok(bin.run("producer", "logs", napping.value()));
      Executables.ok(bin.run("producer", "dlq", "purge", "--yes"));
      Executables.ok(bin.run("registry", "rm", "trap", "--force"));
    } finally {
      Executables.terminateAll(processes);
    }
    for (String log : List.of("worker.log", "scheduler.log", "reaper.log")) {
      String text = Files.readString(dir.resolve(log));
      assertFalse(text.contains("CROSSSLOT"), log + ":\n" + text);
      assertFalse(text.contains("NOPERM"), log + ":\n" + text);
      assertFalse(text.contains("bug:"), log + ":\n" + text);
    }
  }

  private Task await(TaskId id, Predicate<Task> done) throws InterruptedException {
    return Eventually.await(
        () -> inspector.find(id).orElse(null),
        task -> task != null && done.test(task),
        Duration.ofSeconds(60),
        "task " + id + " reaching its state");
  }

  private TaskId submit(String queue, String task, String payload, String... options) {
    List<String> args = new ArrayList<>(List.of("--queue", queue));
    args.addAll(List.of(options));
    return bin.submit(task, payload, args.toArray(String[]::new));
  }
}
