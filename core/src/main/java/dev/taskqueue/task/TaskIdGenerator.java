package dev.taskqueue.task;

import java.nio.ByteBuffer;
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
  /**
   * Random bytes drawn from the source at once. Each draw from {@link SecureRandom} takes its lock
   * and mixes its own state in; drawn {@value} bytes at a time, an id's random bits cost a third of
   * what a {@code nextLong} each did, and stay as unguessable.
   */
  private static final int DRAWN = 512;

  private final Clock clock;
  private final Random random;
  private final ByteBuffer drawn = ByteBuffer.allocate(DRAWN).position(DRAWN);
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
        counter = startingCount();
      }
    } else {
      counter = startingCount();
    }
    lastMillis = millis;
    long high = (millis << 16) | 0x7000L | counter;
    long low = (randomLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new TaskId(format(high, low));
  }

  /** Low in the counter's range, so that a burst in one millisecond has room to count up. */
  private int startingCount() {
    return (int) (randomLong() & 0x7ff);
  }

  private long randomLong() {
    if (!drawn.hasRemaining()) {
      random.nextBytes(drawn.array());
      drawn.clear();
    }
    return drawn.getLong();
  }

  /**
   * The canonical text, {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}: {@code high}'s 16 digits then
   * {@code low}'s, written digit by digit (a batch makes an id per task, and {@code String.format}
   * was a third of what checking one cost).
   */
  private static String format(long high, long low) {
    char[] text = new char[36];
    digits(high >>> 32, 8, text, 0);
    digits(high >>> 16, 4, text, 9);
    digits(high, 4, text, 14);
    digits(low >>> 48, 4, text, 19);
    digits(low, 12, text, 24);
    text[8] = '-';
    text[13] = '-';
    text[18] = '-';
    text[23] = '-';
    return new String(text);
  }

  /** Writes the lowest {@code count} hex digits of {@code value} at {@code into[at]} on. */
  private static void digits(long value, int count, char[] into, int at) {
    for (int i = count - 1; i >= 0; i--) {
      into[at + i] = Character.forDigit((int) (value >>> (4 * (count - 1 - i)) & 0xf), 16);
    }
  }
}
