package dev.taskqueue.task;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One ended attempt of a task, as {@code include/attempt.lua} keeps it in the task hash under
 * {@code attempt:<lease token>}.
 *
 * @param number which attempt it was (1 for the first; counting starts again after a replay)
 * @param leaseToken the token of the claim that started it: unique within the task, and in order
 * @param outcome completed, failed, lost (its worker died, hung or lost Redis) or released
 * @param worker the id of the worker that ran it
 * @param host the host name of that worker's machine: where the attempt's log file is
 * @param retryAt when the task runs again, when this attempt's end scheduled a retry
 * @param replayedAfter when the task, dead after this attempt, was replayed (given a fresh start
 *     from the dead-letter queue)
 * @param replayedOnto the module version that replay moved the task to, when it moved it to a newer
 *     one ({@code producer dlq replay --newest-module})
 */
public record Attempt(
    int number,
    long leaseToken,
    String outcome,
    Optional<Instant> startedAt,
    Instant endedAt,
    Optional<String> worker,
    Optional<String> host,
    Optional<String> error,
    Optional<String> logPath,
    Optional<Instant> retryAt,
    Optional<Instant> replayedAfter,
    OptionalInt replayedOnto) {}
