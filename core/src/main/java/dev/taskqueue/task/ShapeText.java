package dev.taskqueue.task;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads a task's shape without a JSON mapper, when it has the form {@code include/shape.lua} writes
 * (Redis's cjson): one flat object, no whitespace, keys and texts without escapes or control
 * characters, whole numbers from 0. A worker reads the shapes of the tasks it claims; building the
 * mapper cost a fresh worker 0.05 to 0.3 s at its first claim ({@link HashJson}), which the tasks
 * it had just claimed waited for. Anything else (a shape edited by hand, a corrupt one) is left to
 * the mapper ({@link ShapeField#fieldsOf}), which reads any JSON and says what is wrong.
 */
final class ShapeText {
  private final String text;
  private int at;

  private ShapeText(String text) {
    this.text = text;
  }

  /**
   * The shape's fields, as {@link ShapeField#fieldsOf} gives them; null when the text is not of the
   * plain form, for the mapper to read.
   */
  static Map<String, String> plain(String shape) {
    return new ShapeText(shape).object();
  }

  private Map<String, String> object() {
    Map<String, String> fields = new HashMap<>();
    if (!take('{')) {
      return null;
    }
    if (take('}')) {
      return at == text.length() ? fields : null;
    }
    do {
      String key = string();
      if (key == null || !take(':')) {
        return null;
      }
      String value = peek() == '"' ? string() : wholeNumber();
      if (value == null) {
        return null;
      }
      if (ShapeField.holds(key)) {
        fields.put(key, value);
      }
    } while (take(','));
    return take('}') && at == text.length() ? fields : null;
  }

  /** A quoted text without escapes or control characters, its contents; else null. */
  private String string() {
    if (!take('"')) {
      return null;
    }
    int start = at;
    for (; at < text.length(); at++) {
      char c = text.charAt(at);
      if (c == '"') {
        return text.substring(start, at++);
      }
      if (c == '\\' || c < 0x20) {
        return null;
      }
    }
    return null;
  }

  /** Digits, without a leading zero, ending where a value ends; else null. */
  private String wholeNumber() {
    int start = at;
    while (peek() >= '0' && peek() <= '9') {
      at++;
    }
    boolean leadingZero = at - start > 1 && text.charAt(start) == '0';
    if (at == start || leadingZero || (peek() != ',' && peek() != '}')) {
      return null;
    }
    return text.substring(start, at);
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private boolean take(char c) {
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }
}
