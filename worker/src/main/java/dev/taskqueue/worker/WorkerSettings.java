package dev.taskqueue.worker;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.sandbox.SandboxLimits;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a worker process runs with, read once from its {@link Config}.
 *
 * @param workerId recorded on every task this worker holds
 * @param logDir where per-task log files go, or null when they are not saved
 */
public record WorkerSettings(
    String workerId,
    List<String> queues,
    int concurrency,
    Duration shutdownGrace,
    SandboxLimits limits,
    int moduleCacheSize,
    Path logDir,
    boolean mirrorLogs) {

  public static WorkerSettings from(Config config) {
    String id = config.get(Settings.WORKER_ID);
    return new WorkerSettings(
        id.isEmpty() ? defaultId() : id,
        config.get(Settings.QUEUES),
        config.get(Settings.WORKER_CONCURRENCY),
        config.get(Settings.SHUTDOWN_GRACE),
        new SandboxLimits(
            config.get(Settings.MAX_MEMORY_PAGES), config.get(Settings.MAX_RESULT_BYTES)),
        config.get(Settings.MODULE_CACHE_SIZE),
        config.get(Settings.SAVE_WASM_LOGS)
            ? config.get(Settings.WASM_LOG_DIR).toAbsolutePath().normalize()
            : null,
        config.get(Settings.MIRROR_WASM_LOGS));
  }

  /** {@code <hostname>-<pid>}: unique across machines and across processes on one machine. */
  static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "worker");
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
