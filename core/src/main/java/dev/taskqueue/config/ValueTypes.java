package dev.taskqueue.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The kinds of value settings take: numbers, sizes, durations, switches, names, URLs. */
public final class ValueTypes {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)(|B|KiB|MiB|GiB)");

  private ValueTypes() {}

  public static ValueType<Integer> integer(int min, int max) {
    return of(
        "a whole number from " + min + " to " + max,
        raw -> {
          int value;
          try {
            value = Integer.parseInt(raw.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
          }
          if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        });
  }

  public static ValueType<Boolean> bool() {
    return of(
        "true or false",
        raw ->
            switch (raw.trim().toLowerCase(Locale.ROOT)) {
              case "true", "yes", "on", "1" -> true;
              case "false", "no", "off", "0" -> false;
              default -> throw new IllegalArgumentException("not a switch");
            });
  }

  /** Durations like {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
  public static ValueType<Duration> duration(Duration min, Duration max) {
    return of(
        "a duration such as 500ms, 30s, 5m, 2h or 7d, from " + format(min) + " to " + format(max),
        raw -> {
          Duration value = parseDuration(raw);
          if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        });
  }

  /** Sizes like {@code 1048576}, {@code 512KiB}, {@code 1MiB}. */
  public static ValueType<Long> bytes(long min, long max) {
    return of(
        "a size such as 65536, 512KiB or 1MiB, from " + min + " to " + max + " bytes",
        raw -> {
          Matcher m = SIZE.matcher(raw.trim());
          if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
          }
          long unit =
              switch (m.group(2)) {
                case "KiB" -> 1L << 10;
                case "MiB" -> 1L << 20;
                case "GiB" -> 1L << 30;
                default -> 1L;
              };
          long value;
          try {
            value = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
          } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("too large");
          }
          if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        });
  }

  /** One word of a fixed set, given in lower case. */
  public static ValueType<String> oneOf(String... choices) {
    List<String> allowed = List.of(choices);
    return of(
        "one of " + String.join(", ", allowed),
        raw -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (!allowed.contains(value)) {
            throw new IllegalArgumentException("not one of the choices");
          }
          return value;
        });
  }

  /** Text matching a pattern; {@code what} describes the pattern for people. */
  public static ValueType<String> matching(String regex, String what) {
    Pattern pattern = Pattern.compile(regex);
    return of(
        what,
        raw -> {
          if (!pattern.matcher(raw).matches()) {
            throw new IllegalArgumentException("does not match");
          }
          return raw;
        });
  }

  /**
   * A comma-separated list of names, each matching {@code regex}, at least one; a name given twice
   * counts once. {@code what} names them and their rule, as in "queue names (letters, ...)".
   */
  public static ValueType<List<String>> list(String regex, String what) {
    Pattern pattern = Pattern.compile(regex);
    return of(
        "a comma-separated list of " + what,
        raw -> {
          if (raw.isBlank()) {
            throw new IllegalArgumentException("empty");
          }
          List<String> items = new ArrayList<>();
          for (String item : raw.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
              throw new IllegalArgumentException(
                  "a name is empty: two commas in a row, or one at an end");
            }
            if (!pattern.matcher(trimmed).matches()) {
              throw new IllegalArgumentException("'" + trimmed + "' is not a valid name");
            }
            if (items.contains(trimmed)) {
              // The order is meaningful (an earlier queue is served first): a name given
              // twice is a slip whose intent cannot be guessed.
              throw new IllegalArgumentException("'" + trimmed + "' is named twice");
            }
            items.add(trimmed);
          }
          return List.copyOf(items);
        });
  }

  public static ValueType<Path> path() {
    return of(
        "a file system path",
        raw -> {
          if (raw.isBlank()) {
            throw new IllegalArgumentException("empty");
          }
          return Path.of(raw.trim());
        });
  }

  /** Any text, including the empty string (which means "derive it"). */
  public static ValueType<String> text() {
    return of("any text", raw -> raw.trim());
  }

  public static ValueType<RedisUrl> redisUrl() {
    return of(RedisUrl.FORM, RedisUrl::parse);
  }

  /** Parses {@code 30s}-style durations; used by CLI flags as well as settings. */
  public static Duration parseDuration(String raw) {
    Matcher m = DURATION.matcher(raw.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration");
    }
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("too large");
    }
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** The shortest exact form of a duration in the units {@link #parseDuration} reads. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    // A day reads better as 24h; a week as 7d.
    if (ms % 86_400_000 == 0 && ms > 86_400_000) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static <T> ValueType<T> of(String expected, java.util.function.Function<String, T> fn) {
    return new ValueType<>() {
      @Override
      public T parse(String raw) {
        return fn.apply(raw);
      }

      @Override
      public String expected() {
        return expected;
      }
    };
  }
}
