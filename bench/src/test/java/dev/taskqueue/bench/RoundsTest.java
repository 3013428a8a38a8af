package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a scenario run in rounds comes to: a row of their mean for each row a round gives. */
class RoundsTest {
  @Test
  void eachRowOfADrainBecomesTheMeanOfItsRoundsWithTheLeastAndTheMostPerSecond() {
    List<List<Row>> rounds =
        List.of(
            List.of(drain(2.0, 6.0, Map.of("jit_cpu_ms", 3000.0)), warm(1.0)),
            List.of(drain(4.0, 6.2, Map.of("jit_cpu_ms", 2000.0)), warm(1.5)),
            List.of(drain(2.5, 6.1, Map.of("jit_cpu_ms", 2500.0)), warm(1.2)));

    List<Row> mean = Rounds.mean(rounds);

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
        Map.of("jit_cpu_ms", 2500.0, Rounds.MIN_PER_S, 12_500.0, Rounds.MAX_PER_S, 25_000.0),
        drain.extra());
    assertFalse(drain.p99Ms().isPresent());
    Row warm = mean.get(1);
    assertEquals("drain, last 3/4 (warm), mean of 3", warm.scenario());
    assertEquals(37_500 / 1.5, warm.extra().get(Rounds.MIN_PER_S), 1e-9);
    assertEquals(37_500.0, warm.extra().get(Rounds.MAX_PER_S), 1e-9);
  }

  @Test
  void aFigureSomeRoundLacksIsLeftOutOfTheMean() {
    Row withJit = drain(2.0, 6.0, Map.of("jit_cpu_ms", 3000.0, "first_start_ms", 1200.0));
    Row without = drain(2.0, 6.0, Map.of("first_start_ms", 1400.0));

    Row mean = Rounds.mean(List.of(List.of(withJit), List.of(without))).get(0);

    assertEquals(
        List.of("first_start_ms", Rounds.MIN_PER_S, Rounds.MAX_PER_S),
        List.copyOf(mean.extra().keySet()));
    assertEquals(1300.0, mean.extra().get("first_start_ms"), 1e-9);
  }

  @Test
  void aLatencysRoundsGiveTheMeanOfTheirPercentilesWithTheLeastAndTheMostP99() {
    List<List<Row>> rounds =
        List.of(
            List.of(latency(0.4, 2.0, 9.0)),
            List.of(latency(0.5, 5.0, 15.0)),
            List.of(latency(0.3, 3.5, 12.0)));

    Row mean = Rounds.mean(rounds).get(0);

    assertEquals("latency submit-to-start 1000/s, mean of 3", mean.scenario());
    assertEquals(0.4, mean.p50Ms().getAsDouble(), 1e-9);
    assertEquals(3.5, mean.p99Ms().getAsDouble(), 1e-9);
    assertEquals(12.0, mean.maxMs().getAsDouble(), 1e-9);
    assertEquals(1000.0, mean.perSecond().getAsDouble(), 1e-9);
    assertEquals(Map.of(Rounds.MIN_P99_MS, 2.0, Rounds.MAX_P99_MS, 5.0), mean.extra());
    assertFalse(mean.redisCommandsPerTask().isPresent());
  }

  private static Row latency(double p50, double p99, double max) {
    return new Row(
        "latency submit-to-start 1000/s",
        10_000,
        1,
        50,
        true,
        10.0,
        OptionalDouble.of(1000),
        OptionalDouble.of(p50),
        OptionalDouble.of(p99),
        OptionalDouble.of(max),
        OptionalDouble.empty(),
        Map.of());
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
