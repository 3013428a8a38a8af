package dev.taskqueue.config;

import dev.taskqueue.error.InvalidInputException;
import java.util.Objects;

/**
 * One named setting: its environment-variable name, its default (as text, the way it is written in
 * {@code .env.example}), one line of meaning, and how its text is read.
 */
public final class Setting<T> {
  private final String name;
  private final String defaultValue;
  private final String description;
  private final ValueType<T> type;

  Setting(String name, String defaultValue, String description, ValueType<T> type) {
    this.name = Objects.requireNonNull(name);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.description = Objects.requireNonNull(description);
    this.type = Objects.requireNonNull(type);
  }

  public String name() {
    return name;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** What values are allowed, in a few words. */
  public String expected() {
    return type.expected();
  }

  /**
   * Reads {@code raw}; {@code source} says where it came from ({@code .env}, {@code environment},
   * {@code --concurrency}) so the error can point there.
   */
  public T parse(String raw, String source) {
    try {
      return type.parse(raw);
    } catch (IllegalArgumentException e) {
      String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      throw new InvalidInputException(
          "invalid "
              + name
              + "='"
              + raw
              + "' from "
              + source
              + detail
              + ": expected "
              + type.expected());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
