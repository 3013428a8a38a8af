package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapAfterGcTest {
  private static final int MB = 1 << 20;

  /** What the old generation holds counts after a young collection, which does not collect it. */
  @Test
  void countsWhatALongLivedObjectHoldsAfterAYoungCollection() {
    // Large enough to go straight to the old generation (G1: a humongous object).
    byte[] kept = new byte[32 * MB];
    long collections = collections();
    byte[][] garbage = new byte[16][];
    for (int i = 0; collections() == collections; i++) {
      garbage[i % garbage.length] = new byte[MB / 4];
    }

    long after = HeapAfterGc.bytes();

    assertTrue(after >= 32L * MB, "after the latest collection: " + after / MB + " MB");
    assertTrue(kept.length > 0 && garbage.length > 0);
  }

  private static long collections() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
    }
    return count;
  }
}
