package dev.taskqueue.producer;

import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.task.RetryBackoff;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --retry-backoff BASE..CAP}, such as {@code 1s..5m}: a task's own values of {@code
 * TASK_QUEUE_RETRY_BACKOFF_BASE} and {@code _CAP}, held to the ranges those settings allow.
 */
final class RetryBackoffConverter implements ITypeConverter<RetryBackoff> {
  @Override
  public RetryBackoff convert(String value) {
    RetryBackoff backoff;
    try {
      backoff = RetryBackoff.parse(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      // ArithmeticException: a number of days too large for a Duration.
      throw new TypeConversionException(
          e instanceof IllegalArgumentException
              ? e.getMessage()
              : "retry backoff '" + value + "' is too long: give two durations such as 1s..5m");
    }
    inRange(value, "base", backoff.base(), Settings.RETRY_BACKOFF_BASE);
    inRange(value, "cap", backoff.cap(), Settings.RETRY_BACKOFF_CAP);
    return backoff;
  }

  private static void inRange(String value, String part, Duration duration, Setting<?> setting) {
    try {
      setting.parse(ValueTypes.format(duration), "--retry-backoff");
    } catch (InvalidInputException | ArithmeticException e) {
      throw new TypeConversionException(
          "retry backoff '"
              + value
              + "': the "
              + part
              + " must be "
              + setting.expected()
              + ", as for "
              + setting.name());
    }
  }
}
