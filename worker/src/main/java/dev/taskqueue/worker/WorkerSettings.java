package dev.taskqueue.worker;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.lease.ProcessId;
import dev.taskqueue.sandbox.SandboxLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a worker process runs with, read once from its {@link Config}.
 *
 * @param workerId recorded on every task this worker holds
 * @param logDir where per-task log files go, or null when they are not saved
 * @param maxOutputBytes the most of one attempt's output its log keeps ({@link
 *     dev.taskqueue.sandbox.OutputCap})
 * @param maxTimeout the longest an attempt may run here, whatever its task or module asks for
 * @param logRetention how long a task log file is kept on this machine: the longest time a task is
 *     kept in Redis after it ends
 */
public record WorkerSettings(
    String workerId,
    List<String> queues,
    int concurrency,
    Duration shutdownGrace,
    SandboxLimits limits,
    int moduleCacheSize,
    Path logDir,
    boolean mirrorLogs,
    long maxOutputBytes,
    Duration maxTimeout,
    Duration heartbeatInterval,
    Duration leaseDuration,
    Duration logRetention) {

  /**
   * Reads and checks the settings, for this JVM's heap.
   *
   * @throws InvalidInputException when the lease would expire between two heartbeats, or when the
   *     running tasks' memory could not fit in the heap
   */
  public static WorkerSettings from(Config config) {
    return from(config, Runtime.getRuntime().maxMemory());
  }

  /** Reads and checks the settings for a JVM whose maximum heap is {@code maxHeapBytes}. */
  static WorkerSettings from(Config config, long maxHeapBytes) {
    checkHeap(config, maxHeapBytes);
    String id = config.get(Settings.WORKER_ID);
    Duration interval = config.get(Settings.HEARTBEAT_INTERVAL);
    Duration lease = config.get(Settings.LEASE_DURATION);
    if (lease.compareTo(interval.multipliedBy(2)) < 0) {
      throw new InvalidInputException(
          Settings.LEASE_DURATION.name()
              + " ("
              + ValueTypes.format(lease)
              + ") must be at least twice "
              + Settings.HEARTBEAT_INTERVAL.name()
              + " ("
              + ValueTypes.format(interval)
              + "), or leases expire between heartbeats: raise the first or lower the second");
    }
    return new WorkerSettings(
        id.isEmpty() ? ProcessId.ofThisProcess() : id,
        config.get(Settings.QUEUES),
        config.get(Settings.WORKER_CONCURRENCY),
        config.get(Settings.SHUTDOWN_GRACE),
        new SandboxLimits(
            config.get(Settings.MAX_MEMORY_PAGES), config.get(Settings.MAX_RESULT_BYTES)),
        config.get(Settings.MODULE_CACHE_SIZE),
        config.get(Settings.SAVE_WASM_LOGS)
            ? config.get(Settings.WASM_LOG_DIR).toAbsolutePath().normalize()
            : null,
        config.get(Settings.MIRROR_WASM_LOGS),
        config.get(Settings.MAX_OUTPUT_BYTES),
        config.get(Settings.WORKER_MAX_TIMEOUT),
        interval,
        lease,
        longer(config.get(Settings.KEEP_COMPLETED_FOR), config.get(Settings.KEEP_DEAD_FOR)));
  }

  /**
   * Every slot may run a task that grows its memory to the cap, and a guest's memory lives in the
   * heap: a worker that could not hold them all would fail tasks with "ran out of memory" under
   * load instead of refusing to start.
   */
  private static void checkHeap(Config config, long maxHeapBytes) {
    int concurrency = config.get(Settings.WORKER_CONCURRENCY);
    int pages = config.get(Settings.MAX_MEMORY_PAGES);
    long need = (long) concurrency * pages * 65536L;
    if (need > maxHeapBytes) {
      throw new InvalidInputException(
          Settings.WORKER_CONCURRENCY.name()
              + " ("
              + concurrency
              + ") times "
              + Settings.MAX_MEMORY_PAGES.name()
              + " ("
              + pages
              + " pages of 64 KiB) is "
              + mebibytes(need)
              + " of task memory, more than this JVM's maximum heap ("
              + mebibytes(maxHeapBytes)
              + "): lower either, or give the worker more heap with"
              + " TASK_QUEUE_WORKER_JAVA_OPTS=-Xmx<size>");
    }
  }

  private static String mebibytes(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** This program's version, as its jar says; "dev" when run from classes. */
  static String version() {
    String version = WorkerSettings.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
