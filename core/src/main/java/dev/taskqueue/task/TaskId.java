package dev.taskqueue.task;

import dev.taskqueue.error.InvalidInputException;
import java.util.Objects;

/**
 * A task's identity: a UUID version 7 (RFC 9562) in its canonical lower-case text. The first 48
 * bits are the creation time in milliseconds, so ids sort by time as plain strings.
 */
public record TaskId(String value) implements Comparable<TaskId> {
  public TaskId {
    Objects.requireNonNull(value);
  }

  /**
   * Whether {@code text} is an id exactly as task-queue writes one: {@code
   * xxxxxxxx-xxxx-7xxx-Nxxx-xxxxxxxxxxxx}, x a lower-case hex digit, N one of 8, 9, a, b. Checked
   * character by character: a worker checks every task it claims, and a regular expression cost a
   * few per cent of its time.
   */
  public static boolean isValid(String text) {
    if (text == null || text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean fits =
          switch (i) {
            case 8, 13, 18, 23 -> c == '-';
            case 14 -> c == '7';
            case 19 -> c == '8' || c == '9' || c == 'a' || c == 'b';
            default -> lowerHex(c);
          };
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code c} is a hex digit as task-queue writes them: 0-9, a-f. */
  static boolean lowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
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
