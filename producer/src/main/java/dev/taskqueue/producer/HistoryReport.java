package dev.taskqueue.producer;

import dev.taskqueue.task.Attempt;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A task's ended attempts as {@code producer status} prints them: one aligned line per attempt for
 * people, one JSON object per attempt for scripts (keys as in the {@code attempt:<token>} record).
 */
final class HistoryReport {
  /** Longest error shown in a line; the whole error is in {@code --json}. */
  private static final int ERROR_WIDTH = 60;

  /** Times with milliseconds always, so start and end line up from one attempt to the next. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private HistoryReport() {}

  /**
   * {@code #1 failed 2026-01-01T00:00:01.000Z → 2026-01-01T00:00:01.250Z (250ms) w1 host-a trap
   * log}, each line indented by {@code indent}; absent values are "-". The host is where the log
   * file is: each attempt writes its own on the machine that ran it. A replay from the dead-letter
   * queue, after which attempts count from 1 again, has a line of its own after the attempt it
   * followed ({@code -- replayed} and its time). A task replayed before each replay's time was kept
   * has only its latest, {@code replayedAt}, and its earlier replays are told by the numbers.
   */
  static String text(List<Attempt> history, Optional<Instant> replayedAt, String indent) {
    Table table = new Table(7);
    int lastReplay = lastReplay(history);
    for (int i = 0; i < history.size(); i++) {
      Attempt a = history.get(i);
      String ran =
          a.startedAt().map(TIME::format).orElse("?")
              + " → "
              + TIME.format(a.endedAt())
              + a.startedAt().map(s -> " (" + took(s, a.endedAt()) + ")").orElse("");
      table.row(
          "#" + a.number(),
          a.outcome(),
          ran,
          a.worker().orElse("-"),
          a.host().orElse("-"),
          a.error().map(e -> Table.oneLine(e, ERROR_WIDTH)).orElse("-"),
          a.logPath().orElse("-"));
      boolean replayedAfter =
          a.replayedAfter().isPresent()
              || (i + 1 < history.size() && followsReplay(a.number(), history.get(i + 1).number()));
      if (replayedAfter) {
        Optional<Instant> when = a.replayedAfter();
        if (when.isEmpty() && i + 1 == lastReplay) {
          when = replayedAt; // a replay made before each one's time was kept
        }
        String onto = a.replayedOnto().isPresent() ? " onto v" + a.replayedOnto().getAsInt() : "";
        table.row("--", "replayed", when.map(TIME::format).orElse("") + onto, "", "", "", "");
      }
    }
    return table.render(indent);
  }

  /**
   * Whether attempt {@code number}, coming after attempt {@code before} (0: none before it), is the
   * first after a replay: a replay numbers its attempts from 1 again, so an attempt numbered no
   * higher than the one before it follows one. The history and the log lines are read so.
   */
  static boolean followsReplay(int before, int number) {
    return before > 0 && number <= before;
  }

  /** Where in {@code history} the attempts after the latest replay start, or -1. */
  private static int lastReplay(List<Attempt> history) {
    for (int i = history.size() - 1; i > 0; i--) {
      if (followsReplay(history.get(i - 1).number(), history.get(i).number())) {
        return i;
      }
    }
    return -1;
  }

  /** Every attempt with the fields it has, times as ISO-8601 text. */
  static List<Map<String, Object>> json(List<Attempt> history) {
    return history.stream().map(HistoryReport::json).toList();
  }

  private static Map<String, Object> json(Attempt a) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("attempt", a.number());
    fields.put("lease_token", a.leaseToken());
    fields.put("outcome", a.outcome());
    a.startedAt().ifPresent(t -> fields.put("started_at", t.toString()));
    fields.put("ended_at", a.endedAt().toString());
    a.worker().ifPresent(w -> fields.put("worker", w));
    a.host().ifPresent(h -> fields.put("host", h));
    a.error().ifPresent(e -> fields.put("error", e));
    a.logPath().ifPresent(p -> fields.put("log", p));
    a.retryAt().ifPresent(t -> fields.put("retry_at", t.toString()));
    a.replayedAfter().ifPresent(t -> fields.put("replayed_at", t.toString()));
    a.replayedOnto().ifPresent(v -> fields.put("replayed_onto_version", v));
    return fields;
  }

  /** How long an attempt ran, as people read it: 250ms, 1.5s, 2m05s, 1h02m. */
  static String took(Instant start, Instant end) {
    long ms = Math.max(0, Duration.between(start, end).toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      String seconds = String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
      return seconds.replaceAll("\\.?0+$", "") + "s";
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
