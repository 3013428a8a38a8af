package dev.taskqueue.task;

import dev.taskqueue.error.InvalidInputException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A task's identity: a UUID version 7 (RFC 9562) in its canonical lower-case text. The first 48
 * bits are the creation time in milliseconds, so ids sort by time as plain strings.
 */
public record TaskId(String value) implements Comparable<TaskId> {
  private static final Pattern FORM =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  public TaskId {
    Objects.requireNonNull(value);
  }

  /** Whether {@code text} is an id exactly as task-queue writes one. */
  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  /** Reads an id typed by a person; a wrong one gets an error that shows the expected form. */
  public static TaskId parse(String text) {
    String trimmed = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
    if (!isValid(trimmed)) {
      throw new InvalidInputException(
          "task id '"
              + text
              + "' is not a task id: expected the UUID that 'producer submit' printed,"
              + " e.g. 0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90");
    }
    return new TaskId(trimmed);
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
