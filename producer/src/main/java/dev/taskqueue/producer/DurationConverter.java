package dev.taskqueue.producer;

import dev.taskqueue.config.ValueTypes;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag in the project's form: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return ValueTypes.parseDuration(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // ArithmeticException: a number of days too large for a Duration.
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a duration: use a number and a unit, such as 500ms, 30s, 5m or 2h");
    }
  }
}
