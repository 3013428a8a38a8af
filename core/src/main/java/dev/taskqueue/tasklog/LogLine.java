package dev.taskqueue.tasklog;

import dev.taskqueue.redis.RedisStreams;
import java.time.Instant;
import java.util.Map;

/**
 * One line of a task's output as kept in Redis, beside the log file: when the guest wrote it, in
 * which attempt, to which stream ({@code stdout}, {@code stderr}, or {@code task} for what the
 * worker says about the attempt, such as how much output its cap cut), and the text.
 *
 * @param id the stream entry's id, {@code <ms>-<seq>}: where a reader goes on from
 */
public record LogLine(String id, Instant time, int attempt, String stream, String text) {
  /** The worker's own lines about an attempt. */
  public static final String TASK = "task";

  /** The fields of a new entry: {@code t} (ms), {@code a}, {@code s}, {@code l}. */
  public static Map<String, String> fields(Instant time, int attempt, String stream, String text) {
    return Map.of(
        "t",
        Long.toString(time.toEpochMilli()),
        "a",
        Integer.toString(attempt),
        "s",
        stream,
        "l",
        text);
  }

  /** Reads an entry that {@link #fields} wrote; what is missing reads as empty or 0. */
  static LogLine of(RedisStreams.Entry entry) {
    Map<String, String> f = entry.fields();
    return new LogLine(
        entry.id(),
        Instant.ofEpochMilli(number(f.get("t"))),
        (int) number(f.get("a")),
        f.getOrDefault("s", ""),
        f.getOrDefault("l", ""));
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
