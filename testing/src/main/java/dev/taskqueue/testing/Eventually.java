package dev.taskqueue.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something another process or thread does: reads {@code state} until {@code done} holds,
 * and fails the test with the last state read when {@code timeout} passes first.
 */
public final class Eventually {
  private static final Duration PAUSE = Duration.ofMillis(20);

  private Eventually() {}

  public static <T> T await(Supplier<T> state, Predicate<T> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T current = state.get();
    while (!done.test(current)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            what + " did not happen within " + timeout + "; last seen: " + current);
      }
      Thread.sleep(PAUSE.toMillis());
      current = state.get();
    }
    return current;
  }
}
