package dev.taskqueue.task;

import dev.taskqueue.error.InvalidInputException;

/**
 * The form of task names and queue names. Both become parts of Redis keys (and file names of task
 * logs), so the form is strict: no braces, colons, slashes or spaces.
 */
public final class Names {
  /** The pattern, for settings that list names. */
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

  /** The rule in words, for people. */
  public static final String RULE =
      "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

  private static final int MOST_CHARS = 64;

  private Names() {}

  /**
   * Whether {@code name} has the form of {@link #PATTERN}. Checked character by character: a worker
   * checks the names of every task it claims, and a regular expression cost more than the rest.
   */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || name.length() > MOST_CHARS) {
      return false;
    }
    if (!letterOrDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!letterOrDigit(c) && c != '_' && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** An ASCII letter or digit: what {@code [A-Za-z0-9]} matches. */
  private static boolean letterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * Returns {@code name} when valid.
   *
   * @param what what the name names, e.g. {@code task name}
   * @throws InvalidInputException saying what a name may contain
   */
  public static String check(String what, String name) {
    if (!valid(name)) {
      throw new InvalidInputException(what + " '" + name + "' is invalid: use " + RULE);
    }
    return name;
  }
}
