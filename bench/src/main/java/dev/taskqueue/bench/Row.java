package dev.taskqueue.bench;

import java.util.OptionalDouble;

/**
 * One measured scenario, as the table and the JSON show it. Figures that do not apply are empty.
 *
 * @param scenario its name and variant, e.g. {@code scheduled 1000 at once}
 */
record Row(
    String scenario,
    int tasks,
    int workers,
    int concurrency,
    boolean logs,
    double seconds,
    OptionalDouble perSecond,
    OptionalDouble p50Ms,
    OptionalDouble p99Ms,
    OptionalDouble maxMs,
    OptionalDouble redisCommandsPerTask) {}
