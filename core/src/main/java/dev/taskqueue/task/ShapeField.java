package dev.taskqueue.task;

import static dev.taskqueue.task.TaskFields.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code shape} field of a task hash: what a task has in common with the other tasks of its
 * submission (queue, module version and digest, kind, retries, backoff, timeout), one JSON object
 * that {@code include/shape.lua} writes once per shape of a call instead of eight fields per task.
 * A hash written before shapes has those fields one by one, and is read as it is.
 */
public final class ShapeField {
  /** The fields a shape holds, named as a hash written before shapes held them. */
  public static final List<String> FIELDS =
      List.of(
          QUEUE,
          MODULE_DIGEST,
          MODULE_VERSION,
          KIND,
          MAX_RETRIES,
          RETRY_BACKOFF_BASE_MS,
          RETRY_BACKOFF_CAP_MS,
          TIMEOUT_MS);

  private static final Set<String> HELD = Set.copyOf(FIELDS);

  private ShapeField() {}

  /** Whether {@code field} is one of {@link #FIELDS}: kept in a shape, not a field of its own. */
  public static boolean holds(Object field) {
    return HELD.contains(field);
  }

  /**
   * The hash with its shape's fields one by one beside the others: a field the shape lacks stays
   * missing, for {@link TaskHash} to report. A shape that is not a JSON object is a {@link
   * CorruptTaskException}.
   */
  public static Map<String, String> expand(Map<String, String> hash) {
    String shape = hash.get(SHAPE);
    if (shape == null) {
      return hash;
    }
    Map<String, String> fields =
        fieldsOf(shape)
            .orElseThrow(() -> TaskHash.corrupt(hash, SHAPE, "is not the JSON of a task's shape"));
    Map<String, String> flat = new HashMap<>(hash);
    flat.putAll(fields);
    return flat;
  }

  /**
   * The fields a shape holds, named as a hash written before shapes held them: those of {@link
   * #FIELDS} it has, as text; empty when {@code shape} is not the JSON of an object.
   */
  public static Optional<Map<String, String>> fieldsOf(String shape) {
    Map<String, String> plain = ShapeText.plain(shape);
    return plain != null ? Optional.of(plain) : mapped(shape);
  }

  /** {@link #fieldsOf}, read by the JSON mapper: any JSON text. */
  static Optional<Map<String, String>> mapped(String shape) {
    JsonNode node;
    try {
      node = HashJson.mapper().readTree(shape);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    for (String field : FIELDS) {
      JsonNode value = node.path(field);
      if (value.isString() || value.isIntegralNumber()) {
        fields.put(field, value.asString());
      }
    }
    return Optional.of(fields);
  }
}
