package dev.taskqueue.e2e;

import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.Depth;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskFields;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.redisson.api.RedissonClient;

/**
 * What an end-to-end test works with: the executables pointed at a real Redis under a fresh key
 * prefix, a folder for their task logs, and a read-only view of Redis to check what they did.
 */
final class E2e {
  final TestRedis redis;
  final Path dir;
  final Path logDir;
  final Executables bin;
  final RedissonClient client;
  final RedisSession session;
  final Keys keys;
  final TaskInspector inspector;

  E2e(TestRedis redis, Path dir) {
    this.redis = redis;
    this.dir = dir;
    this.logDir = dir.resolve("wasm-logs");
    this.bin =
        new Executables(
            Map.of(
                "REDIS_URL", redis.url(),
                "TASK_QUEUE_KEY_PREFIX", redis.prefix(),
                "TASK_QUEUE_WASM_LOG_DIR", logDir.toString()),
            dir);
    this.client = TestSessions.client(redis.url());
    this.session = TestSessions.open(redis);
    this.keys = session.keys();
    this.inspector = new TaskInspector(session.redis(), keys);
  }

  /** A file built by sample-tasks/build.sh: greeter.wasm, uppercase.wat, ... */
  static Path sample(String file) {
    return Executables.ROOT.resolve("sample-tasks/target/wasm").resolve(file);
  }

  /** One of the tests' guest modules, kept in the harness (testing/src/main/resources/modules). */
  static Path module(String file) {
    return Executables.ROOT.resolve("testing/src/main/resources/modules").resolve(file);
  }

  /** How many ids each list of {@code queue} holds. */
  Depth depth(String queue) {
    return Depth.of(client, keys, queue);
  }

  Map<String, Object> state() {
    return RedisState.of(client, redis.prefix());
  }

  Path write(String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Submits one task per line of {@code lines} (JSON, as {@code producer submit --batch} reads
   * them) in one batch, which must succeed; the new tasks' ids, in order.
   */
  List<TaskId> submitBatch(List<String> lines) throws IOException {
    Path batch = Files.createTempFile(dir, "batch-", ".jsonl");
    try (Writer out = Files.newBufferedWriter(batch, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        out.write(line);
        out.write('\n');
      }
    }
    return Executables.ok(bin.run("producer", "submit", "--batch", batch.toString()))
        .stdout()
        .lines()
        .map(TaskId::parse)
        .toList();
  }

  /** {@code times} lines of a batch, each a task {@code task} with this JSON {@code payload}. */
  static List<String> batchLines(String task, String payload, int times) {
    return Collections.nCopies(times, "{\"task\":\"" + task + "\",\"payload\":" + payload + "}");
  }

  /**
   * Starts a worker with this id and these options, its output in {@code <id>.log}, and waits until
   * its heartbeat is recorded.
   */
  Process workerUp(String workerId, String... options) throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("--worker-id", workerId));
    args.addAll(List.of(options));
    Process worker =
        bin.start("worker", dir.resolve(workerId + ".log"), args.toArray(String[]::new));
    Eventually.await(
        () -> client.getScoredSortedSet(keys.workers()).contains(workerId),
        up -> up,
        Duration.ofSeconds(60),
        "worker " + workerId + "'s heartbeat");
    return worker;
  }

  /** For each task in {@code queue}'s processing list, the worker its hash says holds it. */
  List<String> holders(String queue) {
    List<String> workers = new ArrayList<>();
    for (String id : client.<String>getList(keys.processing(queue)).readAll()) {
      String worker = client.<String, String>getMap(keys.task(queue, id)).get(TaskFields.WORKER_ID);
      if (worker != null) {
        workers.add(worker);
      }
    }
    return workers;
  }

  Task task(TaskId id) {
    return inspector.find(id).orElseThrow(() -> new AssertionError("task " + id + " is gone"));
  }

  /** Waits until the task satisfies {@code done}; fails the test after {@code timeout}. */
  Task await(TaskId id, Predicate<Task> done, Duration timeout) throws InterruptedException {
    return Eventually.await(() -> task(id), done, timeout, "task " + id + " reaching its state");
  }

  Task awaitFinal(TaskId id) throws InterruptedException {
    return await(id, t -> t.stage().isFinal(), Duration.ofSeconds(60));
  }
}
