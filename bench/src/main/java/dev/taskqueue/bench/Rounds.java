package dev.taskqueue.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * What a scenario run in rounds ({@code --rounds}) comes to. One build's runs on one two-core VM
 * spread from one to the next (a fresh drain by a sixth to a half, the latency's p99 by half
 * again), so a target is judged at the mean of several: for each row a round gives, a row of its
 * rounds' mean, with the least and the most of the figure its target is set on: tasks a second for
 * a throughput, the p99 for a latency.
 */
final class Rounds {
  /** The least and the most tasks a second among the rounds of a throughput. */
  static final String MIN_PER_S = "min_per_s";

  static final String MAX_PER_S = "max_per_s";

  /** The least and the most p99 among the rounds of a latency. */
  static final String MIN_P99_MS = "min_p99_ms";

  static final String MAX_P99_MS = "max_p99_ms";

  private Rounds() {}

  /**
   * For each row a round gives, its mean over {@code rounds} (each round's rows, in one order):
   * seconds, tasks a second, the percentiles and the commands a task averaged where every round has
   * them, and every figure of the row's own that each round has.
   */
  static List<Row> mean(List<List<Row>> rounds) {
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("bug: no rounds to average");
    }
    return IntStream.range(0, rounds.get(0).size())
        .mapToObj(i -> meanOf(rounds.stream().map(round -> round.get(i)).toList()))
        .toList();
  }

  /** One row's rounds as one row: its scenario named with how many rounds it is the mean of. */
  private static Row meanOf(List<Row> same) {
    Row first = same.get(0);
    Map<String, Double> extra = new LinkedHashMap<>();
    for (String name : first.extra().keySet()) {
      if (same.stream().allMatch(row -> row.extra().containsKey(name))) {
        extra.put(name, average(same, row -> row.extra().get(name)));
      }
    }
    OptionalDouble p99 = mean(same, Row::p99Ms);
    if (p99.isPresent()) {
      extra.put(MIN_P99_MS, figures(same, Row::p99Ms).min().orElseThrow());
      extra.put(MAX_P99_MS, figures(same, Row::p99Ms).max().orElseThrow());
    } else {
      extra.put(MIN_PER_S, figures(same, Row::perSecond).min().orElseThrow());
      extra.put(MAX_PER_S, figures(same, Row::perSecond).max().orElseThrow());
    }
    return new Row(
        first.scenario() + ", mean of " + same.size(),
        first.tasks(),
        first.workers(),
        first.concurrency(),
        first.logs(),
        average(same, Row::seconds),
        mean(same, Row::perSecond),
        mean(same, Row::p50Ms),
        p99,
        mean(same, Row::maxMs),
        mean(same, Row::redisCommandsPerTask),
        Collections.unmodifiableMap(extra));
  }

  /** The mean of a figure that every round has; empty when some round lacks it. */
  private static OptionalDouble mean(List<Row> rows, Function<Row, OptionalDouble> figure) {
    return rows.stream().allMatch(row -> figure.apply(row).isPresent())
        ? figures(rows, figure).average()
        : OptionalDouble.empty();
  }

  private static DoubleStream figures(List<Row> rows, Function<Row, OptionalDouble> figure) {
    return rows.stream().mapToDouble(row -> figure.apply(row).orElseThrow());
  }

  private static double average(List<Row> rows, ToDoubleFunction<Row> figure) {
    return rows.stream().mapToDouble(figure).average().orElseThrow();
  }
}
