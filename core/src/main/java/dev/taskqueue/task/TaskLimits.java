package dev.taskqueue.task;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Limits one task asked for at submit, each of which only lowers its module's and the worker's (the
 * lowest wins). Stored in the task hash as one canonical JSON field, {@code limits}, absent when
 * the task asked for none. (Its timeout is a field of its own, {@code timeout_ms}.)
 *
 * @param memoryPages linear memory cap in 64 KiB pages
 * @param maxOutputBytes the most of an attempt's output its log keeps
 * @param maxResultBytes the largest result an attempt may return
 */
public record TaskLimits(
    OptionalInt memoryPages, OptionalLong maxOutputBytes, OptionalLong maxResultBytes) {

  /** No limits of its own. */
  public static final TaskLimits NONE =
      new TaskLimits(OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());

  public TaskLimits {
    Objects.requireNonNull(memoryPages);
    Objects.requireNonNull(maxOutputBytes);
    Objects.requireNonNull(maxResultBytes);
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  /** The JSON stored in the task hash; empty for {@link #NONE}. */
  public String toJson() {
    if (isEmpty()) {
      return "";
    }
    ObjectNode node = HashJson.mapper().createObjectNode();
    writeTo(node);
    return HashJson.mapper().writeValueAsString(node);
  }

  /**
   * Puts the limits that are set into {@code node}, as {@code memory_pages}, {@code
   * max_output_bytes} and {@code max_result_bytes}: a module's options hold them the same way.
   */
  public void writeTo(ObjectNode node) {
    memoryPages.ifPresent(pages -> node.put("memory_pages", pages));
    maxOutputBytes.ifPresent(bytes -> node.put("max_output_bytes", bytes));
    maxResultBytes.ifPresent(bytes -> node.put("max_result_bytes", bytes));
  }

  /** The limits among {@code node}'s fields, as {@link #writeTo} put them. */
  public static TaskLimits readFrom(JsonNode node) {
    return new TaskLimits(
        node.has("memory_pages")
            ? OptionalInt.of(node.get("memory_pages").asInt())
            : OptionalInt.empty(),
        longOf(node, "max_output_bytes"),
        longOf(node, "max_result_bytes"));
  }

  /**
   * Reads what {@link #toJson} wrote; null or empty is {@link #NONE}.
   *
   * @throws IllegalArgumentException when it is not such JSON
   */
  public static TaskLimits fromJson(String json) {
    if (json == null || json.isEmpty()) {
      return NONE;
    }
    try {
      JsonNode node = HashJson.mapper().readTree(json);
      if (!node.isObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      return readFrom(node);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static OptionalLong longOf(JsonNode node, String field) {
    return node.has(field) ? OptionalLong.of(node.get(field).asLong()) : OptionalLong.empty();
  }
}
