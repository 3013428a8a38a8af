package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.testing.MutableClock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A queue found paused is left alone for a while, then asked about again. */
class PausedQueuesTest {
  private final MutableClock clock = MutableClock.atFixedStart();
  private final PausedQueues paused = new PausedQueues(clock, Duration.ofSeconds(1));

  @Test
  void aQueueFoundPausedIsLeftAloneUntilItsTimeIsUp() {
    paused.found("a");
    clock.advance(Duration.ofMillis(999));
    assertTrue(paused.paused("a"));
    assertEquals(Set.of("a"), paused.all());

    clock.advance(Duration.ofMillis(1));
    assertFalse(paused.paused("a"));
    assertEquals(Set.of(), paused.all());
    assertFalse(paused.foundPaused("a"), "forgotten once its time was up");
  }

  @Test
  void aQueueFoundPausedStaysFoundSoUntilResumedWhateverTheTime() {
    paused.found("a");
    paused.found("b");
    clock.advance(Duration.ofSeconds(5));
    assertTrue(paused.foundPaused("a"));

    paused.resumed("a");
    assertFalse(paused.foundPaused("a"));
    assertFalse(paused.paused("a"));
    assertTrue(paused.foundPaused("b"));
  }
}
