package dev.taskqueue.task;

import static dev.taskqueue.task.TaskFields.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link Task} from the fields of its hash, as strictly as a submission is checked: the id,
 * queue and name must have the forms task-queue writes (the name becomes a log file's path, so a
 * name like {@code ../../x} must never get through), numbers must be numbers, the stage and kind
 * known. Anything else is a {@link CorruptTaskException} that names the field and what it holds.
 */
public final class TaskHash {
  private static final String DIGEST_PREFIX = "sha256:";
  private static final int QUOTED = 80;

  private TaskHash() {}

  /** The task whose hash holds {@code stored}, with its ended attempts' records. */
  public static Task read(Map<String, String> stored) {
    return read(stored, true);
  }

  /**
   * The task as a claim gives it to a worker: {@code claim.lua} sends only what running the task
   * needs, never an attempt's record, so none is looked for: walking every field of every claimed
   * task for them cost a fresh worker's JIT about 0.15 s of C2 compiling, for nothing.
   */
  public static Task readClaimed(Map<String, String> stored) {
    return read(stored, false);
  }

  private static Task read(Map<String, String> stored, boolean withHistory) {
    Map<String, String> hash = ShapeField.expand(stored);
    String id = required(hash, ID);
    if (!TaskId.isValid(id)) {
      throw corrupt(hash, ID, "is not a task id");
    }
    return new Task(
        new TaskId(id),
        name(hash, QUEUE, "a queue name"),
        name(hash, NAME, "a task name"),
        digest(hash),
        (int) number(hash, MODULE_VERSION, 0),
        kind(hash),
        stage(hash),
        hash.getOrDefault(PAYLOAD, ""),
        (int) number(hash, ATTEMPTS, 0),
        (int) number(hash, MAX_RETRIES, -1),
        backoff(hash),
        Duration.ofMillis(number(hash, TIMEOUT_MS, -1)),
        Instant.ofEpochMilli(number(hash, CREATED_AT, -1)),
        instant(hash, STARTED_AT),
        instant(hash, FINISHED_AT),
        Optional.ofNullable(hash.get(WORKER_ID)),
        Optional.ofNullable(hash.get(WORKER_HOST)),
        number(hash, LEASE_TOKEN, 0),
        instant(hash, LEASE_EXPIRES_AT),
        Optional.ofNullable(hash.get(RESULT))
            .map(
                text -> new TaskResult(text, hash.getOrDefault(RESULT_ENCODING, TaskResult.UTF_8))),
        Optional.ofNullable(hash.get(ERROR)),
        Optional.ofNullable(hash.get(LOG_PATH)),
        instant(hash, RUN_AT),
        instant(hash, REPLAYED_AT),
        withHistory ? AttemptHistory.read(hash) : List.of(),
        Optional.ofNullable(hash.get(SCHEDULE)),
        instant(hash, FIRE_AT),
        limits(hash));
  }

  private static TaskLimits limits(Map<String, String> hash) {
    try {
      return TaskLimits.fromJson(hash.get(LIMITS));
    } catch (IllegalArgumentException e) {
      throw corrupt(hash, LIMITS, "is not the JSON of a task's limits");
    }
  }

  /** Tasks written before retries had a backoff of their own get the scripts' defaults. */
  private static RetryBackoff backoff(Map<String, String> hash) {
    Duration base = Duration.ofMillis(number(hash, RETRY_BACKOFF_BASE_MS, 1000));
    Duration cap = Duration.ofMillis(number(hash, RETRY_BACKOFF_CAP_MS, 300_000));
    if (cap.compareTo(base) < 0) {
      throw corrupt(hash, RETRY_BACKOFF_CAP_MS, "is below " + RETRY_BACKOFF_BASE_MS);
    }
    return new RetryBackoff(base, cap);
  }

  private static String name(Map<String, String> hash, String field, String what) {
    String value = required(hash, field);
    if (!Names.valid(value)) {
      throw corrupt(hash, field, "is not " + what);
    }
    return value;
  }

  private static String digest(Map<String, String> hash) {
    String value = required(hash, MODULE_DIGEST);
    if (!isDigest(value)) {
      throw corrupt(hash, MODULE_DIGEST, "is not a module digest");
    }
    return value;
  }

  /** {@code sha256:} and 64 lower-case hex digits, checked without a regular expression. */
  private static boolean isDigest(String value) {
    if (value.length() != DIGEST_PREFIX.length() + 64 || !value.startsWith(DIGEST_PREFIX)) {
      return false;
    }
    for (int i = DIGEST_PREFIX.length(); i < value.length(); i++) {
      if (!TaskId.lowerHex(value.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static Kind kind(Map<String, String> hash) {
    String value = required(hash, KIND);
    return Kind.fromWire(value).orElseThrow(() -> corrupt(hash, KIND, "is not a kind of task"));
  }

  private static Stage stage(Map<String, String> hash) {
    String value = required(hash, STAGE);
    return Stage.fromWire(value).orElseThrow(() -> corrupt(hash, STAGE, "is not a stage"));
  }

  /** A whole number >= 0; {@code otherwise} when absent, or -1 for a required field. */
  static long number(Map<String, String> hash, String field, long otherwise) {
    String value = otherwise < 0 ? required(hash, field) : hash.get(field);
    return value == null ? otherwise : parse(hash, field, value);
  }

  /** A point in time, ms since the epoch; empty when absent or empty. One lookup, not three. */
  static Optional<Instant> instant(Map<String, String> hash, String field) {
    String value = hash.get(field);
    return value == null || value.isEmpty()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(parse(hash, field, value)));
  }

  /** {@code value}, the text of {@code field}, as a whole number >= 0. */
  private static long parse(Map<String, String> hash, String field, String value) {
    try {
      long number = Long.parseLong(value);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below, with the field's name
    }
    throw corrupt(hash, field, "is not a whole number >= 0");
  }

  private static String required(Map<String, String> hash, String field) {
    String value = hash.get(field);
    if (value == null) {
      throw new CorruptTaskException(
          "task hash " + quote(hash.get(ID)) + " is corrupt: it lacks the field '" + field + "'");
    }
    return value;
  }

  static CorruptTaskException corrupt(Map<String, String> hash, String field, String why) {
    return new CorruptTaskException(
        "task hash "
            + quote(hash.get(ID))
            + " is corrupt: its field '"
            + field
            + "' holds "
            + quote(hash.get(field))
            + ", which "
            + why);
  }

  /** Quoted, and cut: the value came from Redis and may be anything, of any length. */
  private static String quote(String value) {
    if (value == null) {
      return "(no id)";
    }
    String shown = value.length() > QUOTED ? value.substring(0, QUOTED) + "..." : value;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
