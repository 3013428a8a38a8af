package dev.taskqueue.worker;

import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleRemover;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.SandboxLimits;
import dev.taskqueue.sandbox.WatAssembler;
import dev.taskqueue.support.Depth;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.testing.Eventually;
import dev.taskqueue.testing.TestRedis;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.redisson.api.RedissonClient;

/** A real Redis, modules in its registry, and a way to submit tasks and wait for their end. */
final class WorkerFixture {
  final RedisSession session;
  final RedissonClient client;
  final Keys keys;
  final ModuleStore modules;
  final ModulePublisher publisher;
  final ModuleRemover remover;
  final TaskInspector inspector;
  private final TaskEnqueuer enqueuer;
  private final TaskIdGenerator ids = new TaskIdGenerator(Clock.systemUTC());
  private Worker worker;

  WorkerFixture(TestRedis redis) {
    this.session = TestSessions.open(redis);
    this.client = TestSessions.client(redis.url());
    this.keys = session.keys();
    this.modules = new ModuleStore(session.redis(), keys);
    this.publisher =
        new ModulePublisher(session.redis(), keys, Clock.systemUTC(), Duration.ofSeconds(5));
    this.inspector = new TaskInspector(session.redis(), keys);
    this.remover =
        new ModuleRemover(
            session.redis(),
            keys,
            modules,
            inspector,
            name -> List.of(), // no schedules in these tests
            Clock.systemUTC(),
            Duration.ofSeconds(5));
    this.enqueuer = new TaskEnqueuer(session.redis(), keys);
  }

  /**
   * Starts an in-process worker with {@code settings}, the one {@link #stopWorker} stops (a test's
   * {@code @AfterEach} calls it).
   */
  void startWorker(WorkerSettings settings) {
    startWorker(settings, new PrometheusRegistry());
  }

  /**
   * Starts an in-process worker as {@link #startWorker(WorkerSettings)}, its metrics in {@code
   * registry}.
   */
  void startWorker(WorkerSettings settings, PrometheusRegistry registry) {
    worker = new Worker(settings, session, Clock.systemUTC(), registry);
    worker.start();
  }

  /** Stops the worker {@link #startWorker} started, if it still runs, giving it {@code grace}. */
  void stopWorker(Duration grace) {
    if (worker != null) {
      worker.stop(grace);
      worker = null;
    }
  }

  /** How many ids each list of {@code queue} holds. */
  Depth depth(String queue) {
    return Depth.of(client, keys, queue);
  }

  /** Settings for an in-process worker serving {@code queues}. */
  static WorkerSettings settings(Path logDir, int concurrency, List<String> queues) {
    return new WorkerSettings(
        "test-worker",
        queues,
        concurrency,
        Duration.ofSeconds(30),
        new SandboxLimits(256, 1 << 20),
        8,
        logDir,
        false,
        1 << 20,
        Duration.ofHours(24),
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        Duration.ofDays(30));
  }

  /** Publishes a sample task built by sample-tasks/build.sh under its own name. */
  ModuleVersion publishSample(String name) {
    return publisher
        .publish(name, resource("/sample-tasks/" + name + ".wasm"), name + ".wasm")
        .version();
  }

  /** Publishes one of this module's test WAT files under its own name. */
  ModuleVersion publishWat(String name) {
    String text = new String(resource("/modules/" + name + ".wat"), StandardCharsets.UTF_8);
    return publish(name, WatAssembler.assemble(text, name + ".wat"));
  }

  /** Publishes one of this module's test WAT files under its own name, with {@code options}. */
  ModuleVersion publishWat(String name, ModuleOptions options) {
    String text = new String(resource("/modules/" + name + ".wat"), StandardCharsets.UTF_8);
    return publisher
        .publish(name, WatAssembler.assemble(text, name + ".wat"), name + ".wat", options)
        .version();
  }

  /** Publishes a module binary under {@code name}, unchecked. */
  ModuleVersion publish(String name, byte[] binary) {
    return publisher.publish(name, binary, name + ".wasm").version();
  }

  TaskId submit(String name, String payload) {
    return submit("default", name, payload, Duration.ofSeconds(30));
  }

  TaskId submit(String queue, String name, String payload, Duration timeout) {
    return submit(queue, name, payload, timeout, TaskLimits.NONE);
  }

  /** A task with limits of its own. */
  TaskId submit(String queue, String name, String payload, Duration timeout, TaskLimits limits) {
    return submit(queue, name, payload, timeout, limits, 0);
  }

  /** A task of the default queue that is retried up to {@code maxRetries} times. */
  TaskId submitWithRetries(String name, String payload, int maxRetries) {
    return submit("default", name, payload, Duration.ofSeconds(30), TaskLimits.NONE, maxRetries);
  }

  private TaskId submit(
      String queue,
      String name,
      String payload,
      Duration timeout,
      TaskLimits limits,
      int maxRetries) {
    ModuleVersion module = modules.latest(name).orElseThrow();
    TaskId id = ids.next();
    enqueuer.enqueue(
        new NewTask(
            id,
            queue,
            name,
            module.digest(),
            module.version(),
            Kind.IMMEDIATE,
            payload,
            maxRetries,
            Tasks.BACKOFF,
            timeout,
            Clock.systemUTC().instant(),
            Optional.empty(),
            limits));
    return id;
  }

  Task task(TaskId id) {
    return inspector.find(id).orElseThrow();
  }

  /** Waits until the task satisfies {@code done}, failing the test after {@code timeout}. */
  Task await(TaskId id, Predicate<Task> done, Duration timeout) throws InterruptedException {
    return Eventually.await(() -> task(id), done, timeout, "task " + id + " reaching its state");
  }

  Task awaitFinal(TaskId id) throws InterruptedException {
    return await(id, t -> t.stage().isFinal(), Duration.ofSeconds(30));
  }

  static byte[] resource(String path) {
    try (InputStream in = WorkerFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
