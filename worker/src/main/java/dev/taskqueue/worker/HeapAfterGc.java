package dev.taskqueue.worker;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The heap in use just after the latest garbage collection, of any kind: what a leak makes grow,
 * where the heap in use at any moment also holds garbage not yet collected.
 *
 * <p>Each pool's own usage after its latest collection would not do: the old generation's is only
 * set by a collection of the old generation, which a healthy worker may never need (G1 then says 0
 * for it, however much it holds). A collection's record gives every pool's usage after it, the old
 * generation's included.
 */
final class HeapAfterGc {
  private static final List<GarbageCollectorMXBean> COLLECTORS =
      ManagementFactory.getPlatformMXBeans(GarbageCollectorMXBean.class);
  private static final Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());

  private HeapAfterGc() {}

  /** Bytes of heap in use after the latest collection; the heap in use now before the first. */
  static long bytes() {
    GcInfo latest = null;
    for (GarbageCollectorMXBean collector : COLLECTORS) {
      GcInfo info = collector.getLastGcInfo();
      if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
        latest = info;
      }
    }
    if (latest == null) {
      Runtime runtime = Runtime.getRuntime();
      return runtime.totalMemory() - runtime.freeMemory();
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
      if (HEAP_POOLS.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }
}
