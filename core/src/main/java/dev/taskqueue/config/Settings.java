package dev.taskqueue.config;

import dev.taskqueue.task.Names;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting task-queue reads, with its default and meaning. {@code .env.example} and the
 * README's configuration table are checked against this list by tests, so this is the one place to
 * add a setting.
 */
public final class Settings {
  /** Bounds of a task's retries and timeout: for the defaults here and for each submission. */
  public static final int MAX_RETRIES_LIMIT = 100;

  public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  public static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  /** Bounds of a task's retry backoff: for the defaults here and for each submission. */
  public static final Duration MAX_BACKOFF_BASE = Duration.ofHours(1);

  public static final Duration MAX_BACKOFF_CAP = Duration.ofDays(7);

  static final String QUEUE_WHAT = "queue names (letters, digits, '_', '.', '-'; at most 64)";

  public static final Setting<RedisUrl> REDIS_URL =
      new Setting<>(
              "REDIS_URL",
              "redis://127.0.0.1:6379/0",
              "Where Redis is: " + RedisUrl.FORM + ".",
              ValueTypes.redisUrl())
          .withCredentials();

  public static final Setting<String> REDIS_TLS_CA =
      new Setting<>(
          "TASK_QUEUE_REDIS_TLS_CA",
          "",
          "For rediss://, rediss-cluster:// and rediss-sentinel://: a PEM file of the CA"
              + " certificates to trust (a private CA); empty means the JVM's trust store.",
          ValueTypes.text());

  public static final Setting<String> KEY_PREFIX =
      new Setting<>(
          "TASK_QUEUE_KEY_PREFIX",
          "tq",
          "Prefix of every Redis key; separate deployments sharing one Redis use different ones.",
          ValueTypes.matching(
              "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}",
              "letters, digits, '_', '.', '-' (at most 32, no braces or colons)"));

  public static final Setting<String> LOG_LEVEL =
      new Setting<>(
          "TASK_QUEUE_LOG_LEVEL",
          "info",
          "Least severe level the processes log.",
          ValueTypes.oneOf("trace", "debug", "info", "warn", "error"));

  public static final Setting<String> LOG_FORMAT =
      new Setting<>(
          "TASK_QUEUE_LOG_FORMAT",
          "pretty",
          "pretty: readable lines for people; json: one JSON object per line for collectors.",
          ValueTypes.oneOf("pretty", "json"));

  public static final Setting<Boolean> SAVE_WASM_LOGS =
      new Setting<>(
          "TASK_QUEUE_SAVE_WASM_LOGS",
          "true",
          "Write each task's stdout and stderr to <TASK_QUEUE_WASM_LOG_DIR>/<task>/<id>.log.",
          ValueTypes.bool());

  public static final Setting<Boolean> MIRROR_WASM_LOGS =
      new Setting<>(
          "TASK_QUEUE_MIRROR_WASM_LOGS",
          "false",
          "Also copy each line a task prints into the worker's own log, with the task's fields.",
          ValueTypes.bool());

  public static final Setting<Path> WASM_LOG_DIR =
      new Setting<>(
          "TASK_QUEUE_WASM_LOG_DIR",
          "wasm-logs",
          "Folder for per-task log files (relative paths start at the worker's working folder);"
              + " a worker makes it at start, and will not start if it cannot write there.",
          ValueTypes.path());

  public static final Setting<Integer> WORKER_CONCURRENCY =
      new Setting<>(
          "TASK_QUEUE_WORKER_CONCURRENCY",
          "4",
          "How many tasks one worker process runs at once.",
          ValueTypes.integer(1, 1024));

  public static final Setting<List<String>> QUEUES =
      new Setting<>(
          "TASK_QUEUE_QUEUES",
          "default",
          "Queues a worker takes tasks from, in order: an earlier queue is always served first.",
          ValueTypes.list(Names.PATTERN, QUEUE_WHAT));

  public static final Setting<String> WORKER_ID =
      new Setting<>(
          "TASK_QUEUE_WORKER_ID",
          "",
          "Name this worker records on the tasks it holds; empty means <hostname>-<pid>.",
          ValueTypes.text());

  public static final Setting<Duration> SHUTDOWN_GRACE =
      new Setting<>(
          "TASK_QUEUE_SHUTDOWN_GRACE",
          "30s",
          "On SIGTERM, how long running tasks may take to finish before they are put back.",
          ValueTypes.duration(Duration.ZERO, Duration.ofHours(1)));

  public static final Setting<Duration> DEFAULT_TIMEOUT =
      new Setting<>(
          "TASK_QUEUE_DEFAULT_TIMEOUT",
          "30s",
          "Wall-clock limit of one attempt when the producer gives none.",
          ValueTypes.duration(MIN_TIMEOUT, MAX_TIMEOUT));

  public static final Setting<Duration> WORKER_MAX_TIMEOUT =
      new Setting<>(
          "TASK_QUEUE_MAX_TIMEOUT",
          "24h",
          "Longest one attempt may run on this worker, whatever its task or module asks for.",
          ValueTypes.duration(MIN_TIMEOUT, MAX_TIMEOUT));

  public static final Setting<Integer> DEFAULT_MAX_RETRIES =
      new Setting<>(
          "TASK_QUEUE_DEFAULT_MAX_RETRIES",
          "3",
          "Retries a task gets after its first failed attempt when the producer gives none.",
          ValueTypes.integer(0, MAX_RETRIES_LIMIT));

  public static final Setting<Long> MAX_PAYLOAD_BYTES =
      new Setting<>(
          "TASK_QUEUE_MAX_PAYLOAD_BYTES",
          "1MiB",
          "Largest payload the producer accepts.",
          ValueTypes.bytes(1, 64L << 20));

  public static final Setting<Long> MAX_RESULT_BYTES =
      new Setting<>(
          "TASK_QUEUE_MAX_RESULT_BYTES",
          "1MiB",
          "Largest result a task may return; a larger one fails the attempt.",
          ValueTypes.bytes(0, 64L << 20));

  public static final Setting<Long> MAX_OUTPUT_BYTES =
      new Setting<>(
          "TASK_QUEUE_MAX_OUTPUT_BYTES",
          "1MiB",
          "Most output (stdout and stderr together, 40 bytes a line included) one attempt's log"
              + " keeps; the rest is dropped and counted.",
          ValueTypes.bytes(0, 1L << 30));

  public static final Setting<Long> MAX_MODULE_BYTES =
      new Setting<>(
          "TASK_QUEUE_MAX_MODULE_BYTES",
          "32MiB",
          "Largest WebAssembly module the registry accepts.",
          ValueTypes.bytes(8, 256L << 20));

  public static final Setting<Integer> MAX_MEMORY_PAGES =
      new Setting<>(
          "TASK_QUEUE_MAX_MEMORY_PAGES",
          "1024",
          "Linear memory cap of one task instance, in 64 KiB pages (1024 = 64 MiB).",
          ValueTypes.integer(1, 65536));

  public static final Setting<Integer> MODULE_CACHE_SIZE =
      new Setting<>(
          "TASK_QUEUE_MODULE_CACHE_SIZE",
          "64",
          "How many compiled modules (by digest) a worker keeps in memory; also the most it"
              + " compiles at start, for its queues, before its first claim.",
          ValueTypes.integer(1, 10_000));

  public static final Setting<Duration> REDIS_TIMEOUT =
      new Setting<>(
          "TASK_QUEUE_REDIS_TIMEOUT",
          "5s",
          "How long one Redis command may take before it counts as lost (and is resent when safe).",
          ValueTypes.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));

  public static final Setting<Duration> REDIS_RETRY_FOR =
      new Setting<>(
          "TASK_QUEUE_REDIS_RETRY_FOR",
          "30s",
          "How long a producer resends a submit Redis has not confirmed, and any process waits at"
              + " start for a Redis that does not answer yet (a failover, a pause).",
          ValueTypes.duration(Duration.ZERO, Duration.ofHours(1)));

  public static final Setting<Duration> RETRY_BACKOFF_BASE =
      new Setting<>(
          "TASK_QUEUE_RETRY_BACKOFF_BASE",
          "1s",
          "First retry waits up to this (full jitter); each further retry up to twice as long.",
          ValueTypes.duration(Duration.ZERO, MAX_BACKOFF_BASE));

  public static final Setting<Duration> RETRY_BACKOFF_CAP =
      new Setting<>(
          "TASK_QUEUE_RETRY_BACKOFF_CAP",
          "5m",
          "Longest a retry waits, however many attempts failed before it.",
          ValueTypes.duration(Duration.ZERO, MAX_BACKOFF_CAP));

  public static final Setting<Duration> HEARTBEAT_INTERVAL =
      new Setting<>(
          "TASK_QUEUE_HEARTBEAT_INTERVAL",
          "1s",
          "How often a worker records its heartbeat and renews the leases of its running tasks.",
          ValueTypes.duration(Duration.ofMillis(50), Duration.ofMinutes(1)));

  public static final Setting<Duration> LEASE_DURATION =
      new Setting<>(
          "TASK_QUEUE_LEASE_DURATION",
          "3s",
          "How long a heartbeat and a lease last unrenewed; then the reaper retries the task"
              + " elsewhere. At least twice the heartbeat interval.",
          ValueTypes.duration(Duration.ofMillis(100), Duration.ofMinutes(10)));

  public static final Setting<Duration> REAPER_INTERVAL =
      new Setting<>(
          "TASK_QUEUE_REAPER_INTERVAL",
          "500ms",
          "Longest the reaper waits between looks for expired leases, due retries and old tasks.",
          ValueTypes.duration(Duration.ofMillis(10), Duration.ofMinutes(1)));

  public static final Setting<Duration> SCHEDULER_MAX_SLEEP =
      new Setting<>(
          "TASK_QUEUE_SCHEDULER_MAX_SLEEP",
          "1s",
          "Longest a scheduler sleeps between looks for due tasks when no wake-up reaches it.",
          ValueTypes.duration(Duration.ofMillis(10), Duration.ofMinutes(1)));

  public static final Setting<Integer> KEEP_COMPLETED =
      new Setting<>(
          "TASK_QUEUE_KEEP_COMPLETED",
          "100000",
          "Completed tasks kept per queue (with results and log files); the oldest go first.",
          ValueTypes.integer(0, Integer.MAX_VALUE));

  public static final Setting<Duration> KEEP_COMPLETED_FOR =
      new Setting<>(
          "TASK_QUEUE_KEEP_COMPLETED_FOR",
          "7d",
          "How long a completed task is kept after it ends.",
          ValueTypes.duration(Duration.ZERO, Duration.ofDays(3650)));

  public static final Setting<Integer> KEEP_DEAD =
      new Setting<>(
          "TASK_QUEUE_KEEP_DEAD",
          "100000",
          "Dead tasks (dead-letter queue) kept per queue; the oldest go first.",
          ValueTypes.integer(0, Integer.MAX_VALUE));

  public static final Setting<Duration> KEEP_DEAD_FOR =
      new Setting<>(
          "TASK_QUEUE_KEEP_DEAD_FOR",
          "30d",
          "How long a dead task is kept in the dead-letter queue for replay.",
          ValueTypes.duration(Duration.ZERO, Duration.ofDays(3650)));

  public static final Setting<Integer> METRICS_PORT =
      new Setting<>(
          "TASK_QUEUE_METRICS_PORT",
          "0",
          "Port where worker, scheduler and reaper serve /metrics (Prometheus), /healthz and"
              + " /readyz; 0 turns it off.",
          ValueTypes.integer(0, 65535));

  /** All settings, in the order they are documented. */
  public static final List<Setting<?>> ALL =
      List.of(
          REDIS_URL,
          REDIS_TIMEOUT,
          REDIS_RETRY_FOR,
          REDIS_TLS_CA,
          KEY_PREFIX,
          LOG_LEVEL,
          LOG_FORMAT,
          SAVE_WASM_LOGS,
          MIRROR_WASM_LOGS,
          WASM_LOG_DIR,
          WORKER_CONCURRENCY,
          QUEUES,
          WORKER_ID,
          SHUTDOWN_GRACE,
          DEFAULT_TIMEOUT,
          DEFAULT_MAX_RETRIES,
          RETRY_BACKOFF_BASE,
          RETRY_BACKOFF_CAP,
          HEARTBEAT_INTERVAL,
          LEASE_DURATION,
          REAPER_INTERVAL,
          SCHEDULER_MAX_SLEEP,
          KEEP_COMPLETED,
          KEEP_COMPLETED_FOR,
          KEEP_DEAD,
          KEEP_DEAD_FOR,
          MAX_PAYLOAD_BYTES,
          MAX_RESULT_BYTES,
          MAX_OUTPUT_BYTES,
          WORKER_MAX_TIMEOUT,
          MAX_MODULE_BYTES,
          MAX_MEMORY_PAGES,
          MODULE_CACHE_SIZE,
          METRICS_PORT);

  private Settings() {}
}
