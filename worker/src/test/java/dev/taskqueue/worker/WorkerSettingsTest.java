package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.InvalidInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A worker refuses settings it could not keep: leases between heartbeats, memory past its heap. */
class WorkerSettingsTest {
  private static final long GIB = 1L << 30;

  @Test
  void runningTasksThatCouldNotFitInTheHeapAreRefused() {
    Config config = config(Map.of("TASK_QUEUE_WORKER_CONCURRENCY", "20"));

    InvalidInputException refused =
        assertThrows(InvalidInputException.class, () -> WorkerSettings.from(config, GIB));
    assertEquals(
        "TASK_QUEUE_WORKER_CONCURRENCY (20) times"
            + " TASK_QUEUE_MAX_MEMORY_PAGES (1024 pages of 64 KiB)"
            + " is 1280 MiB of task memory, more than this JVM's maximum heap (1024 MiB): lower"
            + " either, or give the worker more heap with TASK_QUEUE_WORKER_JAVA_OPTS=-Xmx<size>",
        refused.getMessage());
  }

  @Test
  void runningTasksThatFitExactlyAreAccepted() {
    Config config =
        config(
            Map.of("TASK_QUEUE_WORKER_CONCURRENCY", "16", "TASK_QUEUE_MAX_MEMORY_PAGES", "1024"));

    assertEquals(16, WorkerSettings.from(config, GIB).concurrency());
  }

  @Test
  void aLeaseShorterThanTwoHeartbeatsIsRefused() {
    Config config =
        config(Map.of("TASK_QUEUE_HEARTBEAT_INTERVAL", "2s", "TASK_QUEUE_LEASE_DURATION", "3s"));

    assertThrows(InvalidInputException.class, () -> WorkerSettings.from(config, 64 * GIB));
  }

  private static Config config(Map<String, String> environment) {
    return Config.builder().withoutEnvFile().withEnvironment(environment).build();
  }
}
