package dev.taskqueue.config;

import java.util.Comparator;
import java.util.stream.Stream;

/** Finds the setting, or the launchers' variable, a misspelt name most likely meant. */
final class SettingNames {
  private SettingNames() {}

  static String suggest(String unknown) {
    String closest =
        Stream.concat(Settings.ALL.stream().map(Setting::name), Config.LAUNCHER_VARIABLES.stream())
            .min(Comparator.comparingInt((String name) -> distance(unknown, name)))
            .orElseThrow();
    if (distance(unknown, closest) <= Math.max(3, unknown.length() / 4)) {
      return "did you mean " + closest + "?";
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
