package dev.taskqueue.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;

/**
 * What fresh drains run one after another ({@code --rounds}) come to. One build's fresh drains on
 * one two-core VM spread by a sixth to a half from run to run (docs/benchmarks.md), so the drain's
 * target is judged at the mean of several: for each row a drain gives, a row of its rounds' mean,
 * with the least and the most tasks a second among them.
 */
final class DrainRounds {
  /** The least and the most tasks a second among the rounds. */
  static final String MIN_PER_S = "min_per_s";

  static final String MAX_PER_S = "max_per_s";

  private DrainRounds() {}

  /**
   * For each row a drain gives, its mean over {@code rounds} (each round's rows, in the order
   * {@link DrainScenario#drain} gives them): seconds, tasks a second and the commands a task
   * averaged, and every figure of its own that each round has.
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
    extra.put(MIN_PER_S, perSecond(same).min().orElseThrow());
    extra.put(MAX_PER_S, perSecond(same).max().orElseThrow());
    return new Row(
        first.scenario() + ", mean of " + same.size(),
        first.tasks(),
        first.workers(),
        first.concurrency(),
        first.logs(),
        average(same, Row::seconds),
        perSecond(same).average(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        same.stream().allMatch(row -> row.redisCommandsPerTask().isPresent())
            ? OptionalDouble.of(average(same, row -> row.redisCommandsPerTask().getAsDouble()))
            : OptionalDouble.empty(),
        Collections.unmodifiableMap(extra));
  }

  private static DoubleStream perSecond(List<Row> rows) {
    return rows.stream().mapToDouble(row -> row.perSecond().orElseThrow());
  }

  private static double average(List<Row> rows, ToDoubleFunction<Row> figure) {
    return rows.stream().mapToDouble(figure).average().orElseThrow();
  }
}
