package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.InvalidInputException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cron expressions and their fire times, daylight-saving changes included (cron-utils' rules). */
class CronExpressionTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** What a refusal of an expression cron-utils cannot read says each field takes. */
  static final String FIELD_VALUES =
      "each field takes a value, *, a range a-b, a list a,b or a step */n; second and minute take"
          + " 0-59, hour 0-23, day 1-31, month 1-12 or JAN to DEC, weekday 0-7 or SUN to SAT (0"
          + " and 7 are Sunday)";

  @Test
  void sixFieldsHaveSecondsFirstAndFiveFieldsAreUnixCron() {
    Instant start = Instant.parse("2026-06-01T10:00:00Z");

    assertEquals(
        Instant.parse("2026-06-01T10:00:30Z"),
        CronExpression.parse("30 * * * * *", "UTC").nextAfter(start).orElseThrow());
    assertEquals(
        Instant.parse("2026-06-02T02:00:00Z"),
        CronExpression.parse("0 2 * * *", "UTC").nextAfter(start).orElseThrow());
    assertEquals(
        Instant.parse("2026-06-02T00:00:00Z"),
        CronExpression.parse("0 0 2 * * *", "Europe/Berlin").nextAfter(start).orElseThrow(),
        "02:00 in Berlin's summer is 00:00 UTC");
  }

  /** Unix cron's nicknames stand for their five fields, in any case, and keep their text. */
  @Test
  void nicknamesStandForTheirFiveFields() {
    Instant start = Instant.parse("2026-06-03T10:20:30Z"); // a Wednesday

    List<String> next = new ArrayList<>();
    for (String nickname :
        List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")) {
      next.add(CronExpression.parse(nickname, "UTC").nextAfter(start).orElseThrow().toString());
    }
    CronExpression berlin = CronExpression.parse(" @Daily ", "Europe/Berlin");

    assertEquals(
        List.of(
            "2027-01-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
            "2026-07-01T00:00:00Z",
            "2026-06-07T00:00:00Z",
            "2026-06-04T00:00:00Z",
            "2026-06-04T00:00:00Z",
            "2026-06-03T11:00:00Z"),
        next);
    assertEquals(Instant.parse("2026-06-03T22:00:00Z"), berlin.nextAfter(start).orElseThrow());
    assertEquals("@Daily", berlin.text());
    assertEquals(
        "cron expression '@reboot' is not a nickname a schedule takes: give @yearly (or"
            + " @annually), @monthly, @weekly, @daily (or @midnight) or @hourly, or the fields, as"
            + " in '0 2 * * *' (@reboot fires when a machine starts, which a schedule has no time"
            + " for)",
        assertThrows(InvalidInputException.class, () -> CronExpression.parse("@reboot", "UTC"))
            .getMessage());
    assertEquals(
        "cron expression '@every 5m' is not a nickname a schedule takes: give @yearly (or"
            + " @annually), @monthly, @weekly, @daily (or @midnight) or @hourly, or the fields, as"
            + " in '0 2 * * *'",
        assertThrows(InvalidInputException.class, () -> CronExpression.parse("@every 5m", "UTC"))
            .getMessage());
  }

  /** cron-utils carries a fraction of a second over from its input; fire times have none. */
  @Test
  void fireTimesAreWholeSecondsWhateverTheStart() {
    CronExpression everySecond = CronExpression.parse("* * * * * *", "UTC");
    Instant start = Instant.parse("2026-06-01T10:00:00.830Z");

    assertEquals(Instant.parse("2026-06-01T10:00:01Z"), everySecond.nextAfter(start).orElseThrow());
    assertEquals(
        Instant.parse("2026-06-01T10:00:00Z"), everySecond.lastBefore(start).orElseThrow());
    assertEquals(
        Instant.parse("2026-06-01T09:59:59Z"),
        everySecond.lastBefore(Instant.parse("2026-06-01T10:00:00Z")).orElseThrow(),
        "strictly before");
  }

  @Test
  void refusesWhatItCannotReadWithTheReason() {
    String fields =
        assertThrows(InvalidInputException.class, () -> CronExpression.parse("* * *", "UTC"))
            .getMessage();
    assertEquals(
        "cron expression '* * *' has 3 fields: give 6 (second minute hour day month weekday, as in"
            + " '0 0 2 * * *') or 5 (minute hour day month weekday, as in '0 2 * * *')",
        fields);
    String range =
        assertThrows(
                InvalidInputException.class, () -> CronExpression.parse("*/61 * * * * *", "UTC"))
            .getMessage();
    assertTrue(range.startsWith("cron expression '*/61 * * * * *' is not valid: "), range);
    assertFalse(range.contains("Failed to parse"), "cron-utils' preamble is cut: " + range);
    assertTrue(range.contains("61"), "the reason names the value: " + range);
    assertTrue(range.endsWith("; " + FIELD_VALUES), "and what each field takes follows: " + range);
    assertEquals(
        "cron expression '0 0 2 * 13 *' is not valid: Value 13 not in range [1, 12]; "
            + FIELD_VALUES,
        assertThrows(InvalidInputException.class, () -> CronExpression.parse("0 0 2 * 13 *", "UTC"))
            .getMessage());
    assertEquals(
        "unknown time zone 'Mars/Olympus': give an IANA name such as Europe/Berlin, or UTC",
        assertThrows(
                InvalidInputException.class,
                () -> CronExpression.parse("0 0 2 * * *", "Mars/Olympus"))
            .getMessage());
  }

  /**
   * Spring forward: 02:30 does not exist in Berlin on 29 March 2026, and cron-utils skips that
   * day's firing rather than moving it (docs/scheduling.md says so).
   */
  @Test
  void aTimeTheClocksSkipDoesNotFireThatDay() {
    CronExpression daily = CronExpression.parse("0 30 2 * * *", "Europe/Berlin");

    List<ZonedDateTime> fires = fires(daily, ZonedDateTime.of(2026, 3, 28, 3, 0, 0, 0, BERLIN), 2);

    assertEquals(
        List.of(
            ZonedDateTime.of(2026, 3, 30, 2, 30, 0, 0, BERLIN),
            ZonedDateTime.of(2026, 3, 31, 2, 30, 0, 0, BERLIN)),
        fires);
  }

  /** Fall back: 02:30 happens twice in Berlin on 25 October 2026; a daily job fires once. */
  @Test
  void aTimeTheClocksRepeatFiresOnce() {
    CronExpression daily = CronExpression.parse("0 30 2 * * *", "Europe/Berlin");

    List<Instant> fires = new ArrayList<>();
    fires(daily, ZonedDateTime.of(2026, 10, 24, 3, 0, 0, 0, BERLIN), 3)
        .forEach(z -> fires.add(z.toInstant()));

    assertEquals(
        List.of(
            Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-26T01:30:00Z"),
            Instant.parse("2026-10-27T01:30:00Z")),
        fires,
        "the first 02:30 (summer time) only, then 02:30 winter time on the following days");
  }

  /** An interval schedule keeps its interval in real time through the repeated hour. */
  @Test
  void everyHalfHourFiresInBothCopiesOfTheRepeatedHour() {
    CronExpression halfHourly = CronExpression.parse("0 */30 * * * *", "Europe/Berlin");

    List<Instant> fires = new ArrayList<>();
    fires(halfHourly, ZonedDateTime.of(2026, 10, 25, 1, 45, 0, 0, BERLIN), 4)
        .forEach(z -> fires.add(z.toInstant()));

    assertEquals(
        List.of(
            Instant.parse("2026-10-25T00:00:00Z"),
            Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-25T01:00:00Z"),
            Instant.parse("2026-10-25T01:30:00Z")),
        fires);
  }

  private static List<ZonedDateTime> fires(CronExpression cron, ZonedDateTime from, int count) {
    List<ZonedDateTime> fires = new ArrayList<>();
    Instant at = from.toInstant();
    for (int i = 0; i < count; i++) {
      at = cron.nextAfter(at).orElseThrow();
      fires.add(at.atZone(BERLIN));
    }
    return fires;
  }
}
