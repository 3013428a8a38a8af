package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.support.Depth;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two worker processes drain one queue together; every task runs exactly once. */
@ExtendWith(RedisExtension.class)
class TwoWorkersIT {
  private static final int TASKS = 1000;

  @Test
  void twoWorkersShareAThousandTasksAndEachCompletesExactlyOnce(TestRedis redis, @TempDir Path dir)
      throws Exception {
    E2e e2e = new E2e(redis, dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.sample("greeter.wasm").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    Process first = e2e.bin.start("worker", dir.resolve("w1.log"), "--worker-id", "w1");
    Process second = e2e.bin.start("worker", dir.resolve("w2.log"), "--worker-id", "w2");
    List<TaskId> ids;
    try {
      // Both running before the work arrives, so that both can take some on a slow machine.
      awaitStarted(dir.resolve("w1.log"));
      awaitStarted(dir.resolve("w2.log"));
      ids = enqueue(e2e, TASKS);
      awaitFinished(e2e, TASKS, Duration.ofMinutes(3));
    } finally {
      assertEquals(0, Executables.terminate(first, Duration.ofSeconds(60)));
      assertEquals(0, Executables.terminate(second, Duration.ofSeconds(60)));
    }

    Map<String, Integer> perWorker = new TreeMap<>();
    for (TaskId id : ids) {
      Task task = e2e.task(id);
      assertEquals(Stage.COMPLETED, task.stage(), task.toString());
      assertEquals(1, task.attempts(), "claimed exactly once: " + task);
      assertEquals(1, task.leaseToken(), "claimed exactly once: " + task);
      perWorker.merge(task.workerId().orElseThrow(), 1, Integer::sum);
      List<String> log = Files.readAllLines(Path.of(task.logPath().orElseThrow()));
      assertEquals(1, log.stream().filter(l -> l.contains(" task attempt ")).count(), "one run");
    }
    assertEquals(2, perWorker.size(), "both workers took tasks: " + perWorker);
    assertTrue(perWorker.values().stream().allMatch(n -> n > 0), perWorker.toString());

    List<String> finished = e2e.client.<String>getList(e2e.keys.finished("default")).readAll();
    assertEquals(TASKS, finished.size());
    assertEquals(TASKS, new HashSet<>(finished).size(), "no task finished twice");
    assertEquals(new Depth(0, 0, TASKS, 0, 0, 0), e2e.depth("default"));
  }

  private static List<TaskId> enqueue(E2e e2e, int count) {
    ModuleVersion module = new ModuleStore(e2e.session.redis(), e2e.keys).require("greeter");
    TaskEnqueuer enqueuer = new TaskEnqueuer(e2e.session.redis(), e2e.keys);
    TaskIdGenerator generator = new TaskIdGenerator(Clock.systemUTC());
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TaskId id = generator.next();
      enqueuer.enqueue(
          new NewTask(
              id,
              "default",
              "greeter",
              module.digest(),
              module.version(),
              Kind.IMMEDIATE,
              "{\"name\":\"task " + i + "\"}",
              0,
              Tasks.BACKOFF,
              Duration.ofSeconds(30),
              Clock.systemUTC().instant()));
      ids.add(id);
    }
    return ids;
  }

  private static void awaitStarted(Path log) throws InterruptedException {
    Eventually.await(
        () -> {
          try {
            return Files.exists(log) ? Files.readString(log) : "";
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        text -> text.contains("event=worker.started"),
        Duration.ofSeconds(60),
        log + " saying the worker started");
  }

  private static void awaitFinished(E2e e2e, int count, Duration timeout) throws Exception {
    Eventually.await(
        () -> e2e.depth("default"),
        depth -> depth.finished() >= count,
        timeout,
        count + " tasks finishing");
  }
}
