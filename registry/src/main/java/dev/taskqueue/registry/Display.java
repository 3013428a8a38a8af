package dev.taskqueue.registry;

import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleOptions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How the registry shows digests, times and memory to people. */
final class Display {
  private static final long PAGE_KIB = 64;

  private Display() {}

  /** {@code sha256:} and the first 12 hex digits. */
  static String shortDigest(String digest) {
    return "sha256:" + ModuleDigest.shortForm(digest);
  }

  /** ISO-8601 in UTC to the second, e.g. {@code 2026-01-01T00:00:00Z}. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 2 pages (128 KiB) at start, at most 16 pages (1024 KiB)}. */
  static String memory(int initialPages, Optional<Integer> maximumPages) {
    return pages(initialPages)
        + " at start, "
        + maximumPages.map(max -> "at most " + pages(max)).orElse("no maximum of its own");
  }

  /**
   * {@code env API_URL, REGION; memory 16 pages; timeout 5s; output 4096 bytes}, or {@code -}: the
   * names of the granted variables, never their values (they may be secrets).
   */
  static String options(ModuleOptions options) {
    List<String> parts = new ArrayList<>();
    if (!options.env().isEmpty()) {
      parts.add("env " + String.join(", ", options.env().keySet()));
    }
    options.memoryPages().ifPresent(p -> parts.add("memory " + p + (p == 1 ? " page" : " pages")));
    options.timeout().ifPresent(t -> parts.add("timeout " + ValueTypes.format(t)));
    options.maxOutputBytes().ifPresent(b -> parts.add("output " + b + " bytes"));
    options.maxResultBytes().ifPresent(b -> parts.add("result " + b + " bytes"));
    return parts.isEmpty() ? "-" : String.join("; ", parts);
  }

  private static String pages(int pages) {
    return pages + (pages == 1 ? " page (" : " pages (") + pages * PAGE_KIB + " KiB)";
  }
}
