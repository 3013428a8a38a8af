package dev.taskqueue.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.taskqueue.error.InvalidInputException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron expression in a time zone, parsed by cron-utils: six fields with seconds first (Spring's
 * form, as in {@code 0 0 2 * * *}), the five fields of Unix cron ({@code 0 2 * * *}), or one of
 * Unix cron's nicknames ({@code @daily}), which stands for its five fields. Fire times,
 * daylight-saving gaps and repeats included, are cron-utils' (see docs/scheduling.md).
 */
public final class CronExpression {
  private static final CronParser SIX_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
  private static final CronParser FIVE_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  /** Unix cron's nicknames, each the five fields it stands for; {@code @reboot} has none. */
  private static final Map<String, String> NICKNAMES =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  /** What each field takes, for an expression that is refused. */
  private static final String FIELD_VALUES =
      "each field takes a value, *, a range a-b, a list a,b or a step */n; second and minute take"
          + " 0-59, hour 0-23, day 1-31, month 1-12 or JAN to DEC, weekday 0-7 or SUN to SAT (0"
          + " and 7 are Sunday)";

  private final String text;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronExpression(String text, ZoneId zone, ExecutionTime execution) {
    this.text = text;
    this.zone = zone;
    this.execution = execution;
  }

  /**
   * Parses {@code text} to fire in time zone {@code zone} (an IANA name such as Europe/Berlin).
   *
   * @throws InvalidInputException naming the expression or zone and, for an expression, the reason
   *     cron-utils gives
   */
  public static CronExpression parse(String text, String zone) {
    String trimmed = text.trim();
    String expanded = trimmed.startsWith("@") ? nickname(trimmed) : trimmed;
    int fields = expanded.isEmpty() ? 0 : expanded.split("\\s+").length;
    CronParser parser =
        switch (fields) {
          case 6 -> SIX_FIELDS;
          case 5 -> FIVE_FIELDS;
          default ->
              throw new InvalidInputException(
                  "cron expression '"
                      + text
                      + "' has "
                      + fields
                      + " fields: give 6 (second minute hour day month weekday, as in '0 0 2 * *"
                      + " *') or 5 (minute hour day month weekday, as in '0 2 * * *')");
        };
    Cron cron;
    try {
      cron = parser.parse(expanded).validate();
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "cron expression '" + text + "' is not valid: " + reason(e) + "; " + FIELD_VALUES);
    }
    return new CronExpression(trimmed, zoneOf(zone), ExecutionTime.forCron(cron));
  }

  /** The five fields {@code text}, a nickname in any case, stands for. */
  private static String nickname(String text) {
    String fields = NICKNAMES.get(text.toLowerCase(Locale.ROOT));
    if (fields == null) {
      throw new InvalidInputException(
          "cron expression '"
              + text
              + "' is not a nickname a schedule takes: give @yearly (or @annually), @monthly,"
              + " @weekly, @daily (or @midnight) or @hourly, or the fields, as in '0 2 * * *'"
              + (text.equalsIgnoreCase("@reboot")
                  ? " (@reboot fires when a machine starts, which a schedule has no time for)"
                  : ""));
    }
    return fields;
  }

  /** What cron-utils says is wrong, without the preamble it puts before every reason. */
  private static String reason(IllegalArgumentException e) {
    String reason =
        String.valueOf(e.getMessage()).replaceFirst("^Failed to parse cron expression\\.\\s*", "");
    return reason.isBlank() ? "cron-utils could not read it" : reason;
  }

  private static ZoneId zoneOf(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          "unknown time zone '" + zone + "': give an IANA name such as Europe/Berlin, or UTC");
    }
  }

  /**
   * The first fire time strictly after {@code after}; empty when the expression never fires. Fire
   * times are whole seconds (cron-utils carries a fraction of a second over from its input, so the
   * input is cut to whole seconds first).
   */
  public Optional<Instant> nextAfter(Instant after) {
    Instant second = after.truncatedTo(ChronoUnit.SECONDS);
    return execution.nextExecution(second.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  /** The last fire time strictly before {@code before}; empty when there is none. */
  public Optional<Instant> lastBefore(Instant before) {
    Instant second = before.truncatedTo(ChronoUnit.SECONDS);
    Instant ceiling = second.equals(before) ? second : second.plusSeconds(1);
    return execution.lastExecution(ceiling.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  public String text() {
    return text;
  }

  public ZoneId zone() {
    return zone;
  }

  @Override
  public String toString() {
    return text + " (" + zone + ")";
  }
}
