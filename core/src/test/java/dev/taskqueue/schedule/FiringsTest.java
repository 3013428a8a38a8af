package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which firings are due, by catch-up policy, and the next fire time after them. */
class FiringsTest {
  private static final CronExpression HOURLY = CronExpression.parse("0 0 * * * *", "UTC");
  private static final Instant TEN = Instant.parse("2026-06-01T10:00:00Z");

  @Test
  void onTimeEveryPolicyFiresTheOneDueAndNothingDrifts() {
    Instant late = TEN.plusMillis(40);
    for (CatchUp policy : CatchUp.values()) {
      assertEquals(
          new Firings(List.of(TEN), 0, Optional.of(TEN.plus(Duration.ofHours(1)))),
          Firings.due(HOURLY, policy, TEN, late),
          policy.toString());
    }
  }

  @Test
  void afterAnOutageFireOnceRunsOnceAtTheLatestMissedTime() {
    Instant now = TEN.plus(Duration.ofMinutes(185)); // 13:05: 10:00 to 13:00 missed

    assertEquals(
        new Firings(
            List.of(Instant.parse("2026-06-01T13:00:00Z")),
            4,
            Optional.of(Instant.parse("2026-06-01T14:00:00Z"))),
        Firings.due(HOURLY, CatchUp.FIRE_ONCE, TEN, now));
  }

  @Test
  void afterAnOutageSkipRunsNoneAndAllRunsEach() {
    Instant now = TEN.plus(Duration.ofMinutes(185));

    assertEquals(
        new Firings(List.of(), 4, Optional.of(Instant.parse("2026-06-01T14:00:00Z"))),
        Firings.due(HOURLY, CatchUp.SKIP, TEN, now));
    assertEquals(
        List.of(
            TEN,
            Instant.parse("2026-06-01T11:00:00Z"),
            Instant.parse("2026-06-01T12:00:00Z"),
            Instant.parse("2026-06-01T13:00:00Z")),
        Firings.due(HOURLY, CatchUp.ALL, TEN, now).fireTimes());
  }

  @Test
  void allIsBoundedToTheMostRecentFirings() {
    CronExpression everySecond = CronExpression.parse("* * * * * *", "UTC");
    Instant now = TEN.plus(Duration.ofMinutes(10));

    Firings firings = Firings.due(everySecond, CatchUp.ALL, TEN, now);

    assertEquals(Firings.MAX_CATCH_UP, firings.fireTimes().size());
    assertEquals(now, firings.fireTimes().get(Firings.MAX_CATCH_UP - 1));
    assertEquals(Optional.of(now.plusSeconds(1)), firings.next());
  }

  /** Schedulers run between whole seconds: a firing due this second is due. */
  @Test
  void anEverySecondScheduleFoundMidSecondFiresItsSecond() {
    CronExpression everySecond = CronExpression.parse("* * * * * *", "UTC");

    for (int ms : new int[] {0, 1, 300, 999}) {
      assertEquals(
          new Firings(List.of(TEN), 0, Optional.of(TEN.plusSeconds(1))),
          Firings.due(everySecond, CatchUp.FIRE_ONCE, TEN, TEN.plusMillis(ms)),
          ms + " ms past");
    }
    assertEquals(
        List.of(TEN, TEN.plusSeconds(1)),
        Firings.due(everySecond, CatchUp.ALL, TEN, TEN.plusMillis(1500)).fireTimes());
  }

  /** However long the outage, the firings kept are the most recent ones. */
  @Test
  void afterTwoDaysOfAnEverySecondScheduleTheMostRecentFiringsRun() {
    CronExpression everySecond = CronExpression.parse("* * * * * *", "UTC");
    Instant now = TEN.plus(Duration.ofDays(2));

    Firings all = Firings.due(everySecond, CatchUp.ALL, TEN, now);
    Firings once = Firings.due(everySecond, CatchUp.FIRE_ONCE, TEN, now);

    assertEquals(now.minusSeconds(Firings.MAX_CATCH_UP - 1), all.fireTimes().get(0));
    assertEquals(now, all.fireTimes().get(Firings.MAX_CATCH_UP - 1));
    assertEquals(List.of(now.minusSeconds(60)), once.fireTimes().subList(0, 1));
    assertEquals(Optional.of(now.plusSeconds(1)), once.next());
  }

  @Test
  void aFiringJustInsideTheToleranceIsNotMissed() {
    Instant now = TEN.plus(Firings.MISSED_AFTER);

    assertEquals(List.of(TEN), Firings.due(HOURLY, CatchUp.SKIP, TEN, now).fireTimes());
    assertEquals(List.of(), Firings.due(HOURLY, CatchUp.SKIP, TEN, now.plusMillis(1)).fireTimes());
  }
}
