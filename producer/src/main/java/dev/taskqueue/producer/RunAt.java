package dev.taskqueue.producer;

import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import java.time.Duration;
import java.time.Instant;

/**
 * When a submitted task runs: at a time ({@code --at}), a while from now ({@code --in}), or now.
 * The same rule for {@code producer submit} and each line of its {@code --batch} file, whose fields
 * are named {@code at} and {@code in}.
 */
final class RunAt {
  private RunAt() {}

  /**
   * Gives {@code builder} the run-at time or the while from now, checked, if either is given. A
   * while is kept as such: counted from the submit itself ({@link Submission.Builder#withRunIn}).
   *
   * @param flag how the caller names the two values: {@code "--"} for flags, {@code ""} for fields
   */
  static void apply(Instant at, Duration in, Submission.Builder builder, String flag) {
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
    if (at != null) {
      builder.withRunAt(at);
    }
    if (in == null) {
      return;
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
    if (in.compareTo(SubmissionRules.MAX_AHEAD) > 0) {
      throw new InvalidInputException(
          // Not ValueTypes.format: so long a duration has no number of milliseconds.
          flag + "in " + in.toDays() + "d is more than 10 years ahead: give a nearer time");
    }
    builder.withRunIn(in);
  }
}
