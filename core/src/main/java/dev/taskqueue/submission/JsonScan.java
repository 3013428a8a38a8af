package dev.taskqueue.submission;

/**
 * Whether a text is exactly one JSON value (RFC 8259), read once, left to right, with no parser,
 * token or string made. {@link Payload} asks it first and asks Jackson only about a text it
 * refuses, for Jackson's words on what is wrong: a batch checks every payload before it sends any,
 * and a parser made per payload cost more than the rest of a task's checks together
 * (docs/benchmarks-journal.md). It may refuse a text Jackson would take (Jackson then takes it),
 * never the reverse: {@code JsonScanTest} compares the two on generated texts.
 */
final class JsonScan {
  /** Payload's limit: a text nested deeper is left to Jackson, which names the limit. */
  static final int MAX_NESTING = Payload.MAX_NESTING;

  private final String text;
  private int at;

  private JsonScan(String text) {
    this.text = text;
  }

  /** Whether {@code text} is one JSON value, with only whitespace around it. */
  static boolean oneValue(String text) {
    JsonScan scan = new JsonScan(text);
    return scan.value() && scan.skipSpace() == text.length();
  }

  /**
   * Reads one value from {@link #at}, with the whitespace before it. Arrays and objects are read
   * with a stack of what each open one is, not by recursion, so depth costs no Java stack.
   */
  private boolean value() {
    // Bit i of `kinds`, for i < 64, or the array beyond: whether open level i is an object.
    long kinds = 0;
    boolean[] deeper = null;
    int depth = 0;
    while (true) {
      int c = charAt(skipSpace());
      if (c == '{' || c == '[') {
        at++;
        boolean object = c == '{';
        if (depth == MAX_NESTING) {
          return false;
        }
        if (depth < 64) {
          kinds = object ? kinds | (1L << depth) : kinds & ~(1L << depth);
        } else {
          if (deeper == null) {
            deeper = new boolean[MAX_NESTING];
          }
          deeper[depth] = object;
        }
        depth++;
        int next = charAt(skipSpace());
        if (next == (object ? '}' : ']')) {
          at++;
          depth--;
        } else if (object && !key()) {
          return false;
        } else {
          continue;
        }
      } else if (!scalar(c)) {
        return false;
      }
      // A value ended: close what it ends, or go on to the next member or element.
      while (true) {
        if (depth == 0) {
          return true;
        }
        boolean object = depth - 1 < 64 ? (kinds & (1L << (depth - 1))) != 0 : deeper[depth - 1];
        int next = charAt(skipSpace());
        if (next == ',') {
          at++;
          skipSpace();
          if (object && !key()) {
            return false;
          }
          break;
        }
        if (next != (object ? '}' : ']')) {
          return false;
        }
        at++;
        depth--;
      }
    }
  }

  /** Reads a member's name and its colon, at a quote. */
  private boolean key() {
    if (charAt(at) != '"' || !string()) {
      return false;
    }
    if (charAt(skipSpace()) != ':') {
      return false;
    }
    at++;
    return true;
  }

  /** Reads a string, number, true, false or null starting with {@code c} at {@link #at}. */
  private boolean scalar(int c) {
    return switch (c) {
      case '"' -> string();
      case 't' -> word("true");
      case 'f' -> word("false");
      case 'n' -> word("null");
      default -> (c == '-' || (c >= '0' && c <= '9')) && number();
    };
  }

  private boolean word(String word) {
    if (!text.startsWith(word, at)) {
      return false;
    }
    at += word.length();
    return true;
  }

  /** A string, at its opening quote: no control characters, only JSON's escapes. */
  private boolean string() {
    at++;
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c == '\\') {
        int e = charAt(at++);
        if (e == 'u') {
          for (int i = 0; i < 4; i++) {
            if (Character.digit(charAt(at++), 16) < 0) {
              return false;
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          return false;
        }
      }
    }
    return false;
  }

  /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
  private boolean number() {
    if (charAt(at) == '-') {
      at++;
    }
    int c = charAt(at);
    if (c == '0') {
      at++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      return false;
    }
    if (charAt(at) == '.') {
      at++;
      if (digits() == 0) {
        return false;
      }
    }
    c = charAt(at);
    if (c == 'e' || c == 'E') {
      at++;
      c = charAt(at);
      if (c == '+' || c == '-') {
        at++;
      }
      if (digits() == 0) {
        return false;
      }
    }
    // A number runs into nothing but what may follow a value: "1x" or "01" is not one.
    c = charAt(at);
    return !(c >= '0' && c <= '9') && !Character.isLetter(c) && c != '.';
  }

  private int digits() {
    int from = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - from;
  }

  /** Moves past whitespace (space, tab, line feed, carriage return); returns where it stopped. */
  private int skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        break;
      }
      at++;
    }
    return at;
  }

  /** The character at {@code i}, or -1 past the end. */
  private int charAt(int i) {
    return i < text.length() ? text.charAt(i) : -1;
  }
}
