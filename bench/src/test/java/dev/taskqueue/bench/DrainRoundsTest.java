package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What fresh drains run in rounds come to: a row of their mean for each row a drain gives. */
class DrainRoundsTest {
  @Test
  void eachRowOfADrainBecomesTheMeanOfItsRoundsWithTheLeastAndTheMostPerSecond() {
    List<List<Row>> rounds =
        List.of(
            List.of(drain(2.0, 6.0, Map.of("jit_cpu_ms", 3000.0)), warm(1.0)),
            List.of(drain(4.0, 6.2, Map.of("jit_cpu_ms", 2000.0)), warm(1.5)),
            List.of(drain(2.5, 6.1, Map.of("jit_cpu_ms", 2500.0)), warm(1.2)));

    List<Row> mean = DrainRounds.mean(rounds);

    assertEquals(2, mean.size());
    Row drain = mean.get(0);
    assertEquals("drain, mean of 3", drain.scenario());
    assertEquals(50_000, drain.tasks());
    assertEquals(2, drain.workers());
    assertEquals(50, drain.concurrency());
    // The mean of the rates, as runs compared in turns are: not the tasks over the seconds.
    assertEquals((25_000 + 12_500 + 20_000) / 3.0, drain.perSecond().getAsDouble(), 1e-9);
    assertEquals((2.0 + 4.0 + 2.5) / 3, drain.seconds(), 1e-9);
    assertEquals(6.1, drain.redisCommandsPerTask().getAsDouble(), 1e-9);
    assertEquals(
        Map.of(
            "jit_cpu_ms", 2500.0, DrainRounds.MIN_PER_S, 12_500.0, DrainRounds.MAX_PER_S, 25_000.0),
        drain.extra());
    assertFalse(drain.p99Ms().isPresent());
    Row warm = mean.get(1);
    assertEquals("drain, last 3/4 (warm), mean of 3", warm.scenario());
    assertEquals(37_500 / 1.5, warm.extra().get(DrainRounds.MIN_PER_S), 1e-9);
    assertEquals(37_500.0, warm.extra().get(DrainRounds.MAX_PER_S), 1e-9);
  }

  @Test
  void aFigureSomeRoundLacksIsLeftOutOfTheMean() {
    Row withJit = drain(2.0, 6.0, Map.of("jit_cpu_ms", 3000.0, "first_start_ms", 1200.0));
    Row without = drain(2.0, 6.0, Map.of("first_start_ms", 1400.0));

    Row mean = DrainRounds.mean(List.of(List.of(withJit), List.of(without))).get(0);

    assertEquals(
        List.of("first_start_ms", DrainRounds.MIN_PER_S, DrainRounds.MAX_PER_S),
        List.copyOf(mean.extra().keySet()));
    assertEquals(1300.0, mean.extra().get("first_start_ms"), 1e-9);
  }

  private static Row drain(double seconds, double commands, Map<String, Double> extra) {
    return new Row(
        "drain",
        50_000,
        2,
        50,
        true,
        seconds,
        OptionalDouble.of(50_000 / seconds),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.of(commands),
        new LinkedHashMap<>(extra));
  }

  private static Row warm(double seconds) {
    return new Row(
        "drain, last 3/4 (warm)",
        37_500,
        2,
        50,
        true,
        seconds,
        OptionalDouble.of(37_500 / seconds),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.of(6.0),
        Map.of());
  }
}
