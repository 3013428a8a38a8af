package dev.taskqueue.task;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The names the enums of a task hash ({@link Stage}, {@link Kind}) have on the wire: their constant
 * names in lower case, looked up by name without a scan, since a worker reads both for every task
 * it claims.
 */
final class WireNames {
  private WireNames() {}

  static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** Every constant by its wire name. */
  static <E extends Enum<E>> Map<String, E> index(E[] constants) {
    Map<String, E> byName = new HashMap<>();
    for (E constant : constants) {
      byName.put(of(constant), constant);
    }
    return Map.copyOf(byName);
  }
}
