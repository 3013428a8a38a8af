package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void readsBaseDotDotCap() {
    assertEquals(
        new RetryBackoff(Duration.ofMillis(500), Duration.ofMinutes(5)),
        RetryBackoff.parse("500ms..5m"));
    assertEquals("500ms..5m", RetryBackoff.parse("500ms..5m").toString());
  }

  @Test
  void explainsWhatItExpects() {
    assertEquals(
        "retry backoff '5m' is not BASE..CAP: give two durations, such as 1s..5m",
        assertThrows(IllegalArgumentException.class, () -> RetryBackoff.parse("5m")).getMessage());
    assertEquals(
        "retry backoff 'soon..later' is not BASE..CAP: give two durations such as 500ms, 30s, 5m"
            + " or 2h, as in 1s..5m",
        assertThrows(IllegalArgumentException.class, () -> RetryBackoff.parse("soon..later"))
            .getMessage());
    assertEquals(
        "retry backoff 5m..1s: the cap must be at least the base",
        assertThrows(IllegalArgumentException.class, () -> RetryBackoff.parse("5m..1s"))
            .getMessage());
  }

  @Test
  void eachRetryMayWaitTwiceAsLongUpToTheCap() {
    RetryBackoff backoff = RetryBackoff.parse("1s..5s");

    assertEquals(Duration.ofSeconds(1), backoff.ceiling(1));
    assertEquals(Duration.ofSeconds(2), backoff.ceiling(2));
    assertEquals(Duration.ofSeconds(4), backoff.ceiling(3));
    assertEquals(Duration.ofSeconds(5), backoff.ceiling(4));
    assertEquals(Duration.ofSeconds(5), backoff.ceiling(100));
  }
}
