package dev.taskqueue.producer;

import dev.taskqueue.config.ValueType;
import dev.taskqueue.config.ValueTypes;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a size flag in the project's form: {@code 65536}, {@code 512KiB}, {@code 1MiB}. */
final class SizeConverter implements ITypeConverter<Long> {
  private static final ValueType<Long> SIZE = ValueTypes.bytes(0, Long.MAX_VALUE);

  @Override
  public Long convert(String value) {
    try {
      return SIZE.parse(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a size: use a number of bytes, or KiB, MiB or GiB, such as 64KiB");
    }
  }
}
