package dev.taskqueue.worker;

import java.util.List;
import java.util.Queue;
import java.util.function.ToIntFunction;

/**
 * Fills the batch of one round trip to Redis from what threads have handed over: at most so many
 * entries, and no more once their texts come to so many characters (the entry that brings them
 * there is the last), so that a request Redis reads whole, and a script it runs while every other
 * client waits, stays small whatever tasks return or print.
 */
final class Batches {
  private Batches() {}

  /**
   * Adds what waits in {@code handed} to {@code batch} until it holds {@code most} entries or the
   * {@code chars} of its entries come to {@code mostChars}; a batch sent before and sent again may
   * already be there.
   */
  static <T> void fill(
      List<T> batch, Queue<T> handed, int most, long mostChars, ToIntFunction<T> chars) {
    long total = 0;
    for (T entry : batch) {
      total += chars.applyAsInt(entry);
    }
    while (batch.size() < most && total < mostChars) {
      T next = handed.poll();
      if (next == null) {
        return;
      }
      batch.add(next);
      total += chars.applyAsInt(next);
    }
  }
}
