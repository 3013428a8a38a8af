package dev.taskqueue.tasklog;

import dev.taskqueue.redis.RedisStreams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One line of a task's output as kept in Redis, beside the log file: when the guest wrote it, in
 * which attempt, to which stream ({@code stdout}, {@code stderr}, or {@code task} for what the
 * worker says about the attempt, such as how much output its cap cut), and the text.
 *
 * <p>A stream entry holds the lines of one attempt that a worker sent together: field {@code a} the
 * attempt, field {@code t} its lease token, field {@code l} the lines, each {@code <ms since the
 * epoch> <stream> <text>} and a newline (a line's text never holds one). A task that floods its
 * output costs Redis an entry per round trip, not one per line. The token tells one attempt from
 * another of the same number: a task replayed from the dead-letter queue numbers its attempts from
 * 1 again, and every claim has a token of its own.
 *
 * @param id the id of the stream entry it came in, {@code <ms>-<seq>}: where a reader goes on from
 * @param leaseToken the attempt's lease token; 0 in entries written before tokens were
 */
public record LogLine(
    String id, Instant time, int attempt, long leaseToken, String stream, String text) {
  /** The worker's own lines about an attempt. */
  public static final String TASK = "task";

  /** Appends one line, as an entry's {@code l} field holds it, to {@code lines}. */
  public static void append(StringBuilder lines, Instant time, String stream, String text) {
    lines
        .append(time.toEpochMilli())
        .append(' ')
        .append(stream)
        .append(' ')
        .append(text)
        .append('\n');
  }

  /**
   * The fields of an entry of {@code attempt}'s {@code lines}, as {@link #append} wrote them, the
   * attempt's lease token {@code leaseToken}.
   */
  public static Map<String, String> fields(int attempt, long leaseToken, CharSequence lines) {
    return Map.of(
        "a", Integer.toString(attempt), "t", Long.toString(leaseToken), "l", lines.toString());
  }

  /** The lines of one entry; what cannot be read is left out. */
  static List<LogLine> of(RedisStreams.Entry entry) {
    Map<String, String> f = entry.fields();
    int attempt = (int) number(f.get("a"));
    long leaseToken = number(f.get("t"));
    String block = f.getOrDefault("l", "");
    List<LogLine> lines = new ArrayList<>();
    int from = 0;
    for (int end = block.indexOf('\n'); end >= 0; end = block.indexOf('\n', from)) {
      String line = block.substring(from, end);
      from = end + 1;
      int first = line.indexOf(' ');
      int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
      if (second < 0) {
        continue;
      }
      lines.add(
          new LogLine(
              entry.id(),
              Instant.ofEpochMilli(number(line.substring(0, first))),
              attempt,
              leaseToken,
              line.substring(first + 1, second),
              line.substring(second + 1)));
    }
    return lines;
  }

  private static long number(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** As the log file has it: {@code <time> <stream> <text>}. */
  @Override
  public String toString() {
    return time + " " + stream + " " + text;
  }
}
