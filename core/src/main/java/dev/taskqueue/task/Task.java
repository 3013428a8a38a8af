package dev.taskqueue.task;

import static dev.taskqueue.task.TaskFields.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A task as stored in its Redis hash: what to run (name, pinned module digest, payload), under
 * which rules (queue, timeout, retries), and what happened (stage, attempts, lease, outcome).
 *
 * @param leaseToken fencing token of the latest claim: it grows by one with every claim, so a
 *     worker whose lease was taken over cannot record an outcome (0 before the first claim)
 */
public record Task(
    TaskId id,
    String queue,
    String name,
    String moduleDigest,
    int moduleVersion,
    Kind kind,
    Stage stage,
    String payload,
    int attempts,
    int maxRetries,
    Duration timeout,
    Instant createdAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<String> workerId,
    long leaseToken,
    Optional<Instant> leaseExpiresAt,
    Optional<TaskResult> result,
    Optional<String> error,
    Optional<String> logPath) {

  /** Reads a task from the field/value pairs of its hash. */
  public static Task fromHash(Map<String, String> hash) {
    String id = required(hash, ID);
    try {
      return new Task(
          new TaskId(id),
          required(hash, QUEUE),
          required(hash, NAME),
          required(hash, MODULE_DIGEST),
          Integer.parseInt(hash.getOrDefault(MODULE_VERSION, "0")),
          Kind.fromWire(required(hash, KIND)),
          Stage.fromWire(required(hash, STAGE)),
          hash.getOrDefault(PAYLOAD, ""),
          Integer.parseInt(hash.getOrDefault(ATTEMPTS, "0")),
          Integer.parseInt(required(hash, MAX_RETRIES)),
          Duration.ofMillis(Long.parseLong(required(hash, TIMEOUT_MS))),
          Instant.ofEpochMilli(Long.parseLong(required(hash, CREATED_AT))),
          instant(hash, STARTED_AT),
          instant(hash, FINISHED_AT),
          Optional.ofNullable(hash.get(WORKER_ID)),
          Long.parseLong(hash.getOrDefault(LEASE_TOKEN, "0")),
          instant(hash, LEASE_EXPIRES_AT),
          Optional.ofNullable(hash.get(RESULT))
              .map(text -> new TaskResult(text, hash.getOrDefault(RESULT_ENCODING, "utf-8"))),
          Optional.ofNullable(hash.get(ERROR)),
          Optional.ofNullable(hash.get(LOG_PATH)));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("bug: task hash " + id + " holds a malformed number", e);
    }
  }

  private static String required(Map<String, String> hash, String field) {
    String value = hash.get(field);
    if (value == null) {
      throw new IllegalStateException(
          "bug: task hash " + hash.get(ID) + " lacks the field '" + field + "'");
    }
    return value;
  }

  private static Optional<Instant> instant(Map<String, String> hash, String field) {
    String value = hash.get(field);
    return value == null || value.isEmpty()
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
  }
}
