package dev.taskqueue.sandbox;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times tasks ran into each of the sandbox's limits, counted where each is enforced: what
 * a worker exports as {@code taskqueue_sandbox_limit_hits_total}. A memory hit is a module starting
 * with more pages than allowed or a {@code memory.grow} refused (the guest may go on: most trap).
 */
public final class LimitHits {
  /** A limit of the sandbox, with its label in metrics. */
  public enum Limit {
    TIMEOUT("timeout"),
    MEMORY("memory"),
    TABLE("table"),
    RESULT("result"),
    /** The worker's JVM heap could not hold what the guest asked for. */
    HEAP("heap");

    private final String label;

    Limit(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Map<Limit, LongAdder> counts = new EnumMap<>(Limit.class);

  public LimitHits() {
    for (Limit limit : Limit.values()) {
      counts.put(limit, new LongAdder());
    }
  }

  void hit(Limit limit) {
    counts.get(limit).increment();
  }

  /** Hits of {@code limit} so far. */
  public long count(Limit limit) {
    return counts.get(limit).sum();
  }
}
