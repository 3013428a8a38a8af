package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A loop's log of an outage: a warning a failed sweep, and one line where it ended. */
class RedisOutageTest {

  private final Logger log = (Logger) LoggerFactory.getLogger("outage-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final MutableClock clock = MutableClock.atFixedStart();
  private final RedisOutage outage = new RedisOutage(log, "reaper", "sweep", clock);

  @BeforeEach
  void attach() {
    log.setLevel(Level.INFO);
    log.setAdditive(false);
    lines.start();
    log.addAppender(lines);
  }

  @AfterEach
  void detach() {
    log.detachAppender(lines);
    log.setLevel(null);
    log.setAdditive(true);
  }

  @Test
  void eachFailedSweepWarnsWithALongerWaitAndTheFirstThatGetsThroughSaysSo() {
    assertEquals(Duration.ofMillis(100), outage.failed(gone()));
    clock.advance(Duration.ofMillis(100));
    assertEquals(Duration.ofMillis(200), outage.failed(gone()));
    clock.advance(Duration.ofMillis(200));
    assertEquals(Duration.ofMillis(400), outage.failed(gone()));
    clock.advance(Duration.ofMillis(400));
    outage.answered();
    outage.answered();

    assertEquals(
        List.of(
            "WARN reaper.redis_unavailable Redis stopped answering (no reply within 5000 ms);"
                + " retrying in 100 ms",
            "WARN reaper.redis_unavailable Redis stopped answering (no reply within 5000 ms);"
                + " retrying in 200 ms",
            "WARN reaper.redis_unavailable Redis stopped answering (no reply within 5000 ms);"
                + " retrying in 400 ms",
            "INFO reaper.redis_restored Redis answers again, 700 ms after a sweep first"
                + " failed (failed sweeps: 3)"),
        written());
  }

  @Test
  void theNextOutageStartsAfreshAndSweepsThatNeverFailedSayNothing() {
    outage.answered();
    outage.failed(gone());
    outage.answered();
    lines.list.clear();

    assertEquals(Duration.ofMillis(100), outage.failed(gone()), "the wait starts short again");
    clock.advance(Duration.ofSeconds(2));
    outage.answered();

    assertEquals(
        List.of(
            "WARN reaper.redis_unavailable Redis stopped answering (no reply within 5000 ms);"
                + " retrying in 100 ms",
            "INFO reaper.redis_restored Redis answers again, 2000 ms after a sweep first"
                + " failed (failed sweeps: 1)"),
        written());
  }

  @Test
  void aLoopThatSetsItsOwnPaceLeavesTheBackoffWhereItWasAndNamesItsCalls() {
    RedisOutage claims = new RedisOutage(log, "worker", "claim", clock);

    assertEquals(Duration.ofMillis(100), claims.failed(gone()));
    assertEquals(Duration.ofMillis(100), claims.failed(gone(), Duration.ofMillis(100)));
    assertEquals(Duration.ofMillis(200), claims.failed(gone()), "the steady wait took no step");
    clock.advance(Duration.ofMillis(400));
    claims.answered();

    assertEquals(
        "INFO worker.redis_restored Redis answers again, 400 ms after a claim first failed"
            + " (failed claims: 3)",
        written().get(3));
  }

  private static RedisUnavailableException gone() {
    return new RedisUnavailableException(
        "Redis stopped answering (no reply within 5000 ms)", new IllegalStateException());
  }

  private List<String> written() {
    return lines.list.stream()
        .map(
            line ->
                line.getLevel()
                    + " "
                    + line.getKeyValuePairs().get(0).value
                    + " "
                    + line.getFormattedMessage())
        .toList();
  }
}
