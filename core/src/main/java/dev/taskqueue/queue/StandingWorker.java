package dev.taskqueue.queue;

/**
 * A worker standing by for a queue's next tasks ({@code stand_by.lua}), as an enqueue's reply named
 * it: its claim record and its hand-off set, the keys the next enqueue declares so that it may hand
 * its tasks straight to that worker ({@code enqueue.lua}).
 */
record StandingWorker(String record, String handoff) {}
