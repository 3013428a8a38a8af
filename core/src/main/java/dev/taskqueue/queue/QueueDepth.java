package dev.taskqueue.queue;

/** How many task ids sit in each list and sorted set of one queue. */
public record QueueDepth(
    String queue, int pending, int processing, int finished, int dlq, int scheduled, int leased) {}
