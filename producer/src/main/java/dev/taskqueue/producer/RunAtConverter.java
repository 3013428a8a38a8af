package dev.taskqueue.producer;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --at}: an RFC 3339 time with its offset, such as {@code 2026-12-01T09:00:00+01:00}
 * or {@code 2026-12-01T08:00:00Z}. A time without an offset is refused rather than read in the
 * machine's zone, which would make the same command mean different times on different machines.
 */
final class RunAtConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return OffsetDateTime.parse(value.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a time with an offset: give RFC 3339, such as"
              + " 2026-12-01T09:00:00+01:00 or 2026-12-01T08:00:00Z");
    }
  }
}
