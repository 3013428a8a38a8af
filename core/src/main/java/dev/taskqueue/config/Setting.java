package dev.taskqueue.config;

import dev.taskqueue.error.InvalidInputException;
import java.util.Objects;

/**
 * One named setting: its environment-variable name, its default (as text, the way it is written in
 * {@code .env.example}), one line of meaning, and how its text is read. A setting whose value may
 * hold credentials (a URL with a password) says so, and then shows its value only masked.
 */
public final class Setting<T> {
  private final String name;
  private final String defaultValue;
  private final String description;
  private final ValueType<T> type;
  private final boolean carriesCredentials;

  Setting(String name, String defaultValue, String description, ValueType<T> type) {
    this(name, defaultValue, description, type, false);
  }

  private Setting(
      String name,
      String defaultValue,
      String description,
      ValueType<T> type,
      boolean carriesCredentials) {
    this.name = Objects.requireNonNull(name);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.description = Objects.requireNonNull(description);
    this.type = Objects.requireNonNull(type);
    this.carriesCredentials = carriesCredentials;
  }

  /** This setting, marked as one whose value may hold a password. */
  Setting<T> withCredentials() {
    return new Setting<>(name, defaultValue, description, type, true);
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

  /** Whether the value may hold a password, which {@link #display} then masks. */
  public boolean carriesCredentials() {
    return carriesCredentials;
  }

  /** {@code raw} as it may be shown to people: with its password masked if it may hold one. */
  public String display(String raw) {
    return carriesCredentials ? Credentials.mask(raw) : raw;
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
      // Neither the value nor e (as cause) may carry a password into the message or a trace.
      String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
      if (carriesCredentials) {
        detail = Credentials.maskIn(detail);
      }
      throw new InvalidInputException(
          "invalid "
              + name
              + "='"
              + display(raw)
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
