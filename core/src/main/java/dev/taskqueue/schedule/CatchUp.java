package dev.taskqueue.schedule;

import dev.taskqueue.error.InvalidInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a schedule does about firings missed while no scheduler ran (a firing is missed when it is
 * found more than {@link Firings#MISSED_AFTER} after its time).
 */
public enum CatchUp {
  /** One run for all the missed firings, at the latest missed time. The default. */
  FIRE_ONCE,
  /** No run for missed firings: the schedule goes on from the next one. */
  SKIP,
  /** A run for every missed firing, the most recent {@link Firings#MAX_CATCH_UP} at most. */
  ALL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The policy named {@code name}.
   *
   * @throws InvalidInputException listing the names there are
   */
  public static CatchUp parse(String name) {
    return Arrays.stream(values())
        .filter(c -> c.wireName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "catch-up policy '"
                        + name
                        + "' is unknown: give "
                        + Arrays.stream(values())
                            .map(CatchUp::wireName)
                            .collect(Collectors.joining(", "))));
  }
}
