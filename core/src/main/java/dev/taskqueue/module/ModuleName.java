package dev.taskqueue.module;

import dev.taskqueue.error.InvalidInputException;
import java.util.regex.Pattern;

/**
 * Checks task names. A task name is the name its module was uploaded under: submitting task {@code
 * greeter} runs the newest version of module {@code greeter}.
 */
public final class ModuleName {
  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private ModuleName() {}

  public static String check(String name) {
    if (name == null || !FORM.matcher(name).matches()) {
      throw new InvalidInputException(
          "task name '"
              + name
              + "' is invalid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter"
              + " or digit");
    }
    return name;
  }
}
