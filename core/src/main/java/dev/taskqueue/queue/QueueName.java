package dev.taskqueue.queue;

import dev.taskqueue.error.InvalidInputException;
import java.util.regex.Pattern;

/** Checks queue names: they become part of Redis keys and hash tags. */
public final class QueueName {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public static final String DEFAULT = "default";

  private QueueName() {}

  /** Returns {@code name} when valid; otherwise says what a queue name may contain. */
  public static String check(String name) {
    if (name == null || !FORM.matcher(name).matches()) {
      throw new InvalidInputException(
          "queue name '"
              + name
              + "' is invalid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter"
              + " or digit");
    }
    return name;
  }
}
