package dev.taskqueue.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the setting, or the launchers' variable, a misspelt name most likely meant. */
final class SettingNames {
  private SettingNames() {}

  private static final String PREFIX = "TASK_QUEUE_";
  private static final int MOST_MEANT = 3;

  /**
   * What to tell whoever set {@code unknown}: the setting with its name less the prefix ({@code
   * TASK_QUEUE_REDIS_URL} for {@code REDIS_URL}); else the closest name by spelling, and those
   * whose name holds every word of it ({@code TASK_QUEUE_CONCURRENCY} for {@code
   * TASK_QUEUE_WORKER_CONCURRENCY}, {@code TASK_QUEUE_TIMEOUT} for the three timeouts), closest
   * first, three at most; else that there is no such setting.
   */
  static String suggest(String unknown) {
    List<String> names =
        Stream.concat(Settings.ALL.stream().map(Setting::name), Config.LAUNCHER_VARIABLES.stream())
            .sorted(
                Comparator.comparingInt((String name) -> distance(unknown, name))
                    .thenComparing(Comparator.naturalOrder()))
            .toList();
    String bare = bare(unknown);
    if (names.contains(bare)) {
      return "did you mean " + bare + "?";
    }
    Set<String> meant = new LinkedHashSet<>();
    String closest = names.get(0);
    if (distance(unknown, closest) <= Math.max(3, unknown.length() / 4)) {
      meant.add(closest);
    }
    List<String> words = words(unknown);
    for (String name : names) {
      if (meant.size() < MOST_MEANT && !words.isEmpty() && words(name).containsAll(words)) {
        meant.add(name);
      }
    }
    return meant.isEmpty() ? "no such setting" : "did you mean " + either(List.copyOf(meant)) + "?";
  }

  /** A name less the prefix: {@code WORKER_CONCURRENCY}. */
  private static String bare(String name) {
    return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
  }

  /** The words of a name, less the prefix: {@code [WORKER, CONCURRENCY]}. */
  private static List<String> words(String name) {
    String bare = bare(name);
    return bare.isEmpty() ? List.of() : Arrays.asList(bare.split("_"));
  }

  /** {@code A}, {@code A or B}, {@code A, B or C}. */
  private static String either(List<String> names) {
    int last = names.size() - 1;
    return last == 0
        ? names.get(0)
        : String.join(", ", names.subList(0, last)) + " or " + names.get(last);
  }

  /** Levenshtein distance, small strings only. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
