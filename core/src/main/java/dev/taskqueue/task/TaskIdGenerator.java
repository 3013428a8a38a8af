package dev.taskqueue.task;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Random;

/**
 * Makes {@link TaskId}s. Within one generator ids are strictly increasing even when many are made
 * in the same millisecond or the clock steps back: the 12-bit field after the timestamp counts up,
 * and the timestamp never goes below the last one issued (RFC 9562, section 6.2, method 1).
 */
public final class TaskIdGenerator {
  private final Clock clock;
  private final Random random;
  private long lastMillis = -1;
  private int counter;

  public TaskIdGenerator(Clock clock) {
    this(clock, new SecureRandom());
  }

  TaskIdGenerator(Clock clock, Random random) {
    this.clock = Objects.requireNonNull(clock);
    this.random = Objects.requireNonNull(random);
  }

  public synchronized TaskId next() {
    long millis = Math.max(clock.millis(), lastMillis);
    if (millis == lastMillis) {
      counter++;
      if (counter > 0xfff) {
        millis++;
        counter = random.nextInt(0x800);
      }
    } else {
      // Start low in the counter's range so a burst in one millisecond has room to count up.
      counter = random.nextInt(0x800);
    }
    lastMillis = millis;
    long high = (millis << 16) | 0x7000L | counter;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new TaskId(format(high, low));
  }

  private static String format(long high, long low) {
    String h = String.format("%016x", high);
    String l = String.format("%016x", low);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + l.substring(0, 4)
        + "-"
        + l.substring(4, 16);
  }
}
