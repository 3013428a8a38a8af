package dev.taskqueue.worker;

import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Ending;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records the outcomes of attempts that end at about the same time together, in one round trip
 * ({@link AttemptRecorder#endAll}): a slot hands over its outcome and waits for its ending, and
 * while one batch is on its way to Redis the next one gathers. Under load a batch holds about as
 * many outcomes as slots finished during one round trip; when idle, one outcome is sent at once.
 *
 * <p>A failure of a batch (Redis did not answer) is every outcome's failure, thrown to each waiting
 * slot, which sends its own again while its lease lasts; each outcome is safe to send again.
 */
final class BatchRecorder implements AutoCloseable {
  /** The most outcomes in one round trip: it keeps a script's time in Redis short. */
  static final int MAX_BATCH = 256;

  private record Waiting(AttemptOutcome outcome, CompletableFuture<Ending> ending) {}

  private final AttemptRecorder recorder;
  private final BlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();
  private final Thread sender;
  private volatile boolean closed;

  BatchRecorder(AttemptRecorder recorder) {
    this.recorder = recorder;
    this.sender = new Thread(this::sendAll, "attempt-recorder");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /**
   * Records {@code outcome} with whatever else ends meanwhile, and waits for its ending. The wait
   * is not cut short by an interrupt (the recording is what ends the attempt); the interrupt is
   * kept for the caller.
   *
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis did not answer the batch
   */
  Ending record(AttemptOutcome outcome) {
    if (closed) {
      // A slot still running after the worker gave up waiting for it: send it alone.
      return recorder.endAll(List.of(outcome)).get(0);
    }
    Waiting entry = new Waiting(outcome, new CompletableFuture<>());
    waiting.add(entry);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return entry.ending().get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException failure) {
            throw failure;
          }
          throw new IllegalStateException("bug: recording failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sendAll() {
    List<Waiting> batch = new ArrayList<>(MAX_BATCH);
    while (!closed) {
      try {
        batch.add(waiting.take());
      } catch (InterruptedException e) {
        break;
      }
      waiting.drainTo(batch, MAX_BATCH - 1);
      send(batch);
      batch.clear();
    }
    // Outcomes handed over while closing are still sent.
    waiting.drainTo(batch);
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private void send(List<Waiting> batch) {
    List<AttemptOutcome> outcomes = new ArrayList<>(batch.size());
    for (Waiting entry : batch) {
      outcomes.add(entry.outcome());
    }
    try {
      List<Ending> endings = recorder.endAll(outcomes);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).ending().complete(endings.get(i));
      }
    } catch (RuntimeException | Error e) { // each slot decides: send again, or give up and log
      for (Waiting entry : batch) {
        entry.ending().completeExceptionally(e);
      }
    }
  }

  /** Stops the sender once no slot waits any more: call it after the slots are done. */
  @Override
  public void close() {
    closed = true;
    sender.interrupt();
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
