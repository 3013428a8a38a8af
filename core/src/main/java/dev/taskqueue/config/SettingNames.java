package dev.taskqueue.config;

import java.util.Comparator;

/** Finds the setting a misspelt name most likely meant. */
final class SettingNames {
  private SettingNames() {}

  static String suggest(String unknown) {
    Setting<?> closest =
        Settings.ALL.stream()
            .min(Comparator.comparingInt(s -> distance(unknown, s.name())))
            .orElseThrow();
    if (distance(unknown, closest.name()) <= Math.max(3, unknown.length() / 4)) {
      return "did you mean " + closest.name() + "?";
    }
    return "no such setting";
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
