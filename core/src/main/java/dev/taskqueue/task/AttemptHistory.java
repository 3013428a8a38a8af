package dev.taskqueue.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code attempt:<lease token>} fields of a task hash into {@link Attempt}s, each with
 * the replay that followed it ({@code replayed:<lease token>}, and {@code replayed_version:<lease
 * token>} when it moved the task to a newer module version: {@code replay_dead.lua}), and the one
 * attempt that keeps no such field: a task's first attempt that completed, which the hash itself
 * records ({@code include/attempt.lua}).
 */
final class AttemptHistory {

  private AttemptHistory() {}

  /** The ended attempts, oldest first; a field that cannot be read makes the hash corrupt. */
  static List<Attempt> read(Map<String, String> hash) {
    List<Attempt> attempts = new ArrayList<>();
    for (Map.Entry<String, String> field : hash.entrySet()) {
      if (field.getKey().startsWith(TaskFields.ATTEMPT_PREFIX)) {
        attempts.add(read(hash, field.getKey(), field.getValue()));
      }
    }
    completedUnrecorded(hash)
        .filter(done -> attempts.stream().noneMatch(a -> a.leaseToken() == done.leaseToken()))
        .ifPresent(attempts::add);
    attempts.sort(Comparator.comparingLong(Attempt::leaseToken));
    return List.copyOf(attempts);
  }

  /**
   * The attempt that completed a task, as its hash says it: completed is final, so the hash's
   * attempt count, lease token, times, worker and log are that attempt's. Empty for a task that is
   * not completed.
   */
  private static Optional<Attempt> completedUnrecorded(Map<String, String> hash) {
    if (!Stage.COMPLETED.wireName().equals(hash.get(TaskFields.STAGE))) {
      return Optional.empty(); // a claimed task, on a worker's way to run it, ends here
    }
    Optional<Instant> finished = TaskHash.instant(hash, TaskFields.FINISHED_AT);
    if (finished.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Attempt(
            (int) TaskHash.number(hash, TaskFields.ATTEMPTS, 0),
            TaskHash.number(hash, TaskFields.LEASE_TOKEN, 0),
            "completed",
            TaskHash.instant(hash, TaskFields.STARTED_AT),
            finished.get(),
            Optional.ofNullable(hash.get(TaskFields.WORKER_ID)),
            Optional.ofNullable(hash.get(TaskFields.WORKER_HOST)),
            Optional.empty(),
            Optional.ofNullable(hash.get(TaskFields.LOG_PATH)),
            Optional.empty(),
            Optional.empty(),
            OptionalInt.empty()));
  }

  private static Attempt read(Map<String, String> hash, String field, String json) {
    try {
      long token = Long.parseLong(field.substring(TaskFields.ATTEMPT_PREFIX.length()));
      JsonNode node = HashJson.mapper().readTree(json);
      JsonNode outcome = node.path("outcome");
      JsonNode ended = node.path("ended_at");
      if (!outcome.isString() || !ended.isNumber()) {
        throw TaskHash.corrupt(hash, field, "is not an attempt record");
      }
      return new Attempt(
          node.path("attempt").asInt(0),
          token,
          outcome.asString(),
          instant(node, "started_at"),
          Instant.ofEpochMilli(ended.asLong()),
          text(node, "worker"),
          text(node, "host"),
          text(node, "error"),
          text(node, "log"),
          instant(node, "retry_at"),
          replayedAfter(hash, token),
          replayedOnto(hash, token));
    } catch (NumberFormatException | JacksonException e) {
      throw TaskHash.corrupt(hash, field, "is not an attempt record");
    }
  }

  private static Optional<Instant> replayedAfter(Map<String, String> hash, long token) {
    String field = TaskFields.REPLAYED_PREFIX + token;
    return hash.containsKey(field)
        ? Optional.of(Instant.ofEpochMilli(TaskHash.number(hash, field, 0)))
        : Optional.empty();
  }

  private static OptionalInt replayedOnto(Map<String, String> hash, long token) {
    String field = TaskFields.REPLAYED_VERSION_PREFIX + token;
    return hash.containsKey(field)
        ? OptionalInt.of((int) TaskHash.number(hash, field, 0))
        : OptionalInt.empty();
  }

  private static Optional<Instant> instant(JsonNode node, String name) {
    JsonNode value = node.path(name);
    return value.isNumber() ? Optional.of(Instant.ofEpochMilli(value.asLong())) : Optional.empty();
  }

  private static Optional<String> text(JsonNode node, String name) {
    JsonNode value = node.path(name);
    return value.isString() ? Optional.of(value.asString()) : Optional.empty();
  }
}
