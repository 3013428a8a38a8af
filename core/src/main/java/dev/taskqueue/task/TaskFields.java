package dev.taskqueue.task;

/**
 * Names of the fields of a task hash ({@code {prefix:queue}:task:<id>}). The Lua scripts use the
 * same names literally; {@code docs/data-model.md} describes each one. Times are milliseconds since
 * the epoch, written as decimal text.
 */
public final class TaskFields {
  public static final String ID = "id";
  public static final String QUEUE = "queue";
  public static final String NAME = "name";
  public static final String MODULE_DIGEST = "module_digest";
  public static final String MODULE_VERSION = "module_version";
  public static final String KIND = "kind";
  public static final String STAGE = "stage";
  public static final String PAYLOAD = "payload";
  public static final String ATTEMPTS = "attempts";
  public static final String MAX_RETRIES = "max_retries";
  public static final String RETRY_BACKOFF_BASE_MS = "retry_backoff_base_ms";
  public static final String RETRY_BACKOFF_CAP_MS = "retry_backoff_cap_ms";
  public static final String RUN_AT = "run_at";
  public static final String REPLAYED_AT = "replayed_at";
  public static final String SCHEDULE = "schedule";
  public static final String FIRE_AT = "fire_at";
  public static final String TIMEOUT_MS = "timeout_ms";
  public static final String CREATED_AT = "created_at";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String WORKER_ID = "worker_id";
  public static final String WORKER_HOST = "worker_host";
  public static final String LEASE_TOKEN = "lease_token";
  public static final String LEASE_EXPIRES_AT = "lease_expires_at";
  public static final String RESULT = "result";
  public static final String RESULT_ENCODING = "result_encoding";
  public static final String ERROR = "error";
  public static final String LOG_PATH = "log_path";
  public static final String LIMITS = "limits";

  /**
   * What a task shares with the other tasks of its submission, one JSON object of the fields {@code
   * queue} to {@code timeout_ms} above (a hash written before shapes has those one by one).
   */
  public static final String SHAPE = "shape";

  /**
   * Prefix of the fields {@code attempt:<lease token>}: one ended attempt each, see {@link
   * Attempt}.
   */
  public static final String ATTEMPT_PREFIX = "attempt:";

  /**
   * Prefix of the fields {@code replayed:<lease token>}: when the task left the dead-letter queue
   * after the attempt of that token ({@link Attempt#replayedAfter}).
   */
  public static final String REPLAYED_PREFIX = "replayed:";

  /**
   * Prefix of the fields {@code replayed_version:<lease token>}: the module version the replay
   * after the attempt of that token moved the task to, written only when it moved it ({@link
   * Attempt#replayedOnto}).
   */
  public static final String REPLAYED_VERSION_PREFIX = "replayed_version:";

  private TaskFields() {}
}
