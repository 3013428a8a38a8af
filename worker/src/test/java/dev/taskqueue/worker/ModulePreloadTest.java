package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.client.codec.StringCodec;

/** A worker compiles the modules its queues run before its first claim ({@link ModulePreload}). */
@ExtendWith(RedisExtension.class)
class ModulePreloadTest {
  @TempDir Path logs;
  private WorkerFixture f;
  private final PrometheusRegistry metrics = new PrometheusRegistry();

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new WorkerFixture(redis);
  }

  @AfterEach
  void tearDown() {
    f.stopWorker(Duration.ofSeconds(5));
  }

  @Test
  void theFirstTaskFindsItsModuleCompiled() throws Exception {
    f.publishWat("echo");
    TaskId id = f.submit("echo", "\"hi\"");
    f.startWorker(WorkerFixture.settings(logs, 2, List.of("default")), metrics);

    assertEquals(Stage.COMPLETED, f.awaitFinal(id).stage());
    assertEquals(1, counter("taskqueue_module_cache_misses"), "one load, before the claim");
    assertEquals(1, counter("taskqueue_module_cache_hits"), "the task found it loaded");
  }

  @Test
  void aModuleThatCannotBeLoadedHoldsUpNeitherTheClaimNorTheOthers() throws Exception {
    f.publishWat("echo");
    TaskId id = f.submit("echo", "\"hi\"");
    // A name the queue knows whose bytes are gone from the registry.
    know("default", "ghost", "1 sha256:" + "0".repeat(64));
    f.startWorker(WorkerFixture.settings(logs, 2, List.of("default")), metrics);

    Task echo = f.await(id, t -> t.stage().isFinal(), ModulePreload.PATIENCE.dividedBy(2));
    assertEquals(Stage.COMPLETED, echo.stage());
    assertEquals(2, counter("taskqueue_module_cache_misses"), "both tried");
    assertEquals(1, counter("taskqueue_module_cache_hits"), "echo was loaded first");
  }

  @Test
  void aWorkerWhoseQueuesKnowNoModuleStartsAtOnce() throws Exception {
    f.startWorker(WorkerFixture.settings(logs, 2, List.of("default")), metrics);
    f.publishWat("echo");
    TaskId id = f.submit("echo", "\"hi\"");

    assertEquals(Stage.COMPLETED, f.awaitFinal(id).stage());
    assertEquals(1, counter("taskqueue_module_cache_misses"), "loaded for the task");
    assertEquals(0, counter("taskqueue_module_cache_hits"));
  }

  @Test
  void stoppingEndsTheWaitForALoadThatHangs() throws Exception {
    know("default", "stuck", "1 sha256:" + "1".repeat(64));
    CountDownLatch never = new CountDownLatch(1);
    try (ModuleCache cache = new ModuleCache(8, digest -> hang(never))) {
      ModulePreload preload = preload(List.of("default"), cache, 8);
      Thread run = new Thread(preload::run);
      run.start();
      Thread.sleep(300);
      assertTrue(run.isAlive(), "waiting for the load");
      preload.stop();
      run.join(2000);
      assertFalse(run.isAlive(), "the stop ended the wait");
    }
  }

  @Test
  void loadsNoMoreModulesThanTheCacheHolds() {
    know("high", "a", "1 sha256:" + "a".repeat(64));
    know("high", "b", "3 sha256:" + "b".repeat(64));
    know("low", "b", "3 sha256:" + "b".repeat(64)); // the same digest counts once
    know("low", "c", "2 sha256:" + "c".repeat(64));
    List<String> asked = new CopyOnWriteArrayList<>();
    try (ModuleCache cache =
        new ModuleCache(
            2,
            digest -> {
              asked.add(digest);
              throw new IllegalStateException("not in this test");
            })) {
      preload(List.of("high", "low"), cache, 2).run();
      assertEquals(
          List.of("sha256:" + "a".repeat(64), "sha256:" + "b".repeat(64)),
          asked.stream().sorted().toList(),
          "the first queue's first");
    }
  }

  private ModulePreload preload(List<String> queues, ModuleCache cache, int most) {
    return new ModulePreload(f.session.redis(), f.keys, queues, cache, most);
  }

  private void know(String queue, String name, String head) {
    f.client.getMap(f.keys.modules(queue), StringCodec.INSTANCE).put(name, head);
  }

  private static byte[] hang(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("interrupted");
  }

  private long counter(String name) {
    return metrics.scrape().stream()
        .filter(m -> m.getMetadata().getName().equals(name))
        .map(m -> (long) ((CounterSnapshot) m).getDataPoints().get(0).getValue())
        .findFirst()
        .orElseThrow();
  }
}
