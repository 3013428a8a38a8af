package dev.taskqueue.cli;

import java.util.List;
import java.util.Optional;

/**
 * A command that can tell what the arguments picocli could not place were likely meant as: {@code
 * producer submit greeter '{}'} was meant as {@code --task greeter --payload '{}'}. {@link Cli}
 * adds the hint to picocli's "Unmatched arguments" line.
 */
public interface UnmatchedHint {
  /** What {@code unmatched}, in the order given, were likely meant as; empty when unsure. */
  Optional<String> hintFor(List<String> unmatched);

  /** {@code text} as a POSIX shell reads it back: as it is when safe, else in single quotes. */
  static String shellQuoted(String text) {
    if (!text.isEmpty() && text.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return text;
    }
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
