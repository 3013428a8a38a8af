package dev.taskqueue.task;

import dev.taskqueue.error.InvalidInputException;
import java.util.regex.Pattern;

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

  private static final Pattern FORM = Pattern.compile(PATTERN);

  private Names() {}

  public static boolean valid(String name) {
    return name != null && FORM.matcher(name).matches();
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
