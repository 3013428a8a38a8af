package dev.taskqueue.producer;

import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a submitted task runs: at a time ({@code --at}), a while from now ({@code --in}), or now.
 * The same rule for {@code producer submit} and each line of its {@code --batch} file, whose fields
 * are named {@code at} and {@code in}.
 */
final class RunAt {
  private RunAt() {}

  /**
   * @param flag how the caller names the two values: {@code "--"} for flags, {@code ""} for fields
   */
  static Optional<Instant> of(Instant at, Duration in, Clock clock, String flag) {
    if (at != null && in != null) {
      throw new InvalidInputException(
          "give "
              + flag
              + "at or "
              + flag
              + "in, not both: "
              + flag
              + "at names a time, "
              + flag
              + "in how long from now");
    }
    if (in == null) {
      return Optional.ofNullable(at);
    }
    if (in.isZero()) {
      throw new InvalidInputException(
          flag
              + "in "
              + ValueTypes.format(in)
              + " is not later than now: give how long to wait, such as 10m, or leave "
              + flag
              + "in out to run the task now");
    }
    try {
      return Optional.of(clock.instant().plus(in));
    } catch (DateTimeException | ArithmeticException e) {
      throw new InvalidInputException(
          // Not ValueTypes.format: so long a duration has no number of milliseconds.
          flag + "in " + in.toDays() + "d is more than 10 years ahead: give a nearer time");
    }
  }
}
