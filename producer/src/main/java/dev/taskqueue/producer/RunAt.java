package dev.taskqueue.producer;

import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a submitted task runs: at a time ({@code --at}), a while from now ({@code --in}), or now.
 * The same rule for {@code producer submit} and each line of its {@code --batch} file, whose fields
 * are named {@code at} and {@code in}. A time that has passed, or a while of zero, is now.
 */
final class RunAt {
  /** How long ago a run-at time may have passed before the CLI says it runs the task now. */
  static final Duration NOTED_PAST = Duration.ofMinutes(1);

  private RunAt() {}

  /**
   * What the CLI adds on stderr when a run-at time passed long before the submit, a mistyped date
   * perhaps: the task runs now, which a moment's lag (a script's {@code $(date)}) should not note.
   *
   * @param what how the time was given, such as {@code "--at 2026-12-01T08:00:00Z"}
   */
  static Optional<String> pastNote(String what, Instant at, Instant now) {
    return longPast(at, now) ? Optional.of(passed(what, at, now)) : Optional.empty();
  }

  /** The note's text: {@code what} passed so long before {@code now}. */
  static String passed(String what, Instant at, Instant now) {
    return what + " passed " + HistoryReport.took(at, now) + " ago";
  }

  /** Whether run-at time {@code at} passed long enough before {@code now} to be noted. */
  static boolean longPast(Instant at, Instant now) {
    return at.isBefore(now.minus(NOTED_PAST));
  }

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
    if (in.compareTo(SubmissionRules.MAX_AHEAD) > 0) {
      throw new InvalidInputException(
          // Not ValueTypes.format: so long a duration has no number of milliseconds.
          flag + "in " + in.toDays() + "d is more than 10 years ahead: give a nearer time");
    }
    builder.withRunIn(in);
  }
}
