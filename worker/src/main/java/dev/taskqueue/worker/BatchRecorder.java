package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.redis.Backoff;
import dev.taskqueue.redis.Resend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the outcomes of attempts in the background, those that end at about the same time
 * together, in one round trip ({@link AttemptRecorder#endAll}). A slot hands its outcome over and
 * goes on to its next task; what to do once Redis has answered is the outcome's {@link Then}, run
 * on this recorder's thread. Under load a batch holds the outcomes of every task that ended during
 * one round trip; when idle, one outcome is sent at once.
 *
 * <p>When Redis does not answer, the batch is sent again after a pause ({@link Resend#pauses}),
 * with what arrived meanwhile, each outcome for as long as its deadline (its lease, which the
 * heartbeat renews meanwhile) lasts; each outcome is safe to send again. An outcome whose deadline
 * passes first is given up: its task is recovered like any other expired lease.
 */
final class BatchRecorder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRecorder.class);

  /** The most outcomes in one round trip: it keeps a script's time in Redis short. */
  static final int MAX_BATCH = 256;

  /**
   * The most result and error text in one round trip, about: a batch ends with the outcome that
   * brings it there, so it always holds one. The request is read by Redis whole, and its script run
   * while every other client waits: 256 results of 1 MiB were one request of 256 MB, and at the
   * largest results a worker may allow, past the 512 MB Redis accepts.
   */
  static final int MAX_BATCH_CHARS = 4 << 20;

  /**
   * The most result and error text handed over and not yet recorded, about: a slot whose outcome
   * would bring it past this waits to hand it over (one outcome alone always goes), and so claims
   * no more, until Redis has taken what waits. The lease room bounds how many outcomes wait; this
   * bounds what they hold: 850 results of 1 MB waiting for a Redis that stored 50 MB a second ran a
   * worker's heap out.
   */
  static final long MAX_WAITING_CHARS = 32L << 20;

  /** What to do once an outcome's fate is known; runs on the recorder's thread. */
  interface Then {
    void recorded(Ending ending);

    /** It could not be recorded: Redis did not answer before its deadline, or a bug. */
    void unrecorded(RuntimeException why);
  }

  private record Handed(AttemptOutcome outcome, Supplier<Instant> deadline, Then then) {
    /** The characters of its result or error: what it weighs in a batch, and while it waits. */
    int chars() {
      return outcome == null ? 0 : outcome.text().length();
    }
  }

  /** Wakes the sender to look at {@link #closing}: the one entry with no outcome. */
  private static final Handed WAKE = new Handed(null, null, null);

  private final AttemptRecorder recorder;
  private final Clock clock;
  private final BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
  private final Thread sender;
  private final Object lock = new Object();
  private volatile boolean closing;

  // Guarded by lock.
  private boolean finished;
  private long waitingChars;

  BatchRecorder(AttemptRecorder recorder, Clock clock) {
    this.recorder = recorder;
    this.clock = clock;
    this.sender = new Thread(this::sendAll, "attempt-recorder");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /**
   * Hands {@code outcome} over to be recorded; {@code then} runs once it is, or once it cannot be.
   *
   * @param deadline until when to keep sending it while Redis does not answer (looked up at each
   *     try: a lease moves on as the heartbeat renews it)
   */
  void record(AttemptOutcome outcome, Supplier<Instant> deadline, Then then) {
    Handed entry = new Handed(outcome, deadline, then);
    synchronized (lock) {
      awaitRoomFor(entry.chars());
      if (!finished) {
        waitingChars += entry.chars();
        handed.add(entry);
        return;
      }
    }
    // A slot still running after the worker gave up waiting for it: send it alone, here.
    Ending ending;
    try {
      ending = Resend.until(deadline, clock, () -> recorder.endAll(List.of(outcome)).get(0));
    } catch (RuntimeException e) {
      then.unrecorded(e);
      return;
    }
    then.recorded(ending);
  }

  /**
   * Waits, holding {@link #lock}, until {@code chars} more fit in {@link #MAX_WAITING_CHARS} or
   * nothing else waits. An interrupt (the worker stopping its slots) ends the wait: the outcome is
   * handed over all the same.
   */
  private void awaitRoomFor(int chars) {
    while (!finished && waitingChars > 0 && waitingChars + chars > MAX_WAITING_CHARS) {
      try {
        lock.wait();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The outcomes {@code done} are recorded or given up: their text no longer waits. */
  private void done(List<Handed> done) {
    long chars = 0;
    for (Handed entry : done) {
      chars += entry.chars();
    }
    synchronized (lock) {
      waitingChars -= chars;
      lock.notifyAll();
    }
  }

  private void sendAll() {
    List<Handed> batch = new ArrayList<>(MAX_BATCH);
    Backoff pauses = Resend.pauses();
    while (true) {
      if (batch.isEmpty()) {
        synchronized (lock) {
          if (closing && handed.isEmpty()) {
            finished = true;
            lock.notifyAll();
            return;
          }
        }
        take(batch);
      }
      Batches.fill(batch, handed, MAX_BATCH, MAX_BATCH_CHARS, Handed::chars);
      batch.removeIf(h -> h.outcome() == null);
      if (batch.isEmpty()) {
        continue;
      }
      if (send(batch)) {
        batch.clear();
        pauses.reset();
      } else {
        pause(pauses.next());
      }
    }
  }

  private void take(List<Handed> batch) {
    try {
      batch.add(handed.take());
    } catch (InterruptedException e) {
      // Nobody interrupts this thread; if something does, closing is what ends the loop.
      Thread.interrupted();
    }
  }

  /**
   * Sends the batch once.
   *
   * @return false when Redis did not answer: what is left in {@code batch} is to be sent again
   */
  private boolean send(List<Handed> batch) {
    List<AttemptOutcome> outcomes = new ArrayList<>(batch.size());
    for (Handed entry : batch) {
      outcomes.add(entry.outcome());
    }
    List<Ending> endings;
    try {
      endings = recorder.endAll(outcomes);
    } catch (RedisUnavailableException e) {
      Instant now = clock.instant();
      List<Handed> givenUp = new ArrayList<>();
      for (Iterator<Handed> it = batch.iterator(); it.hasNext(); ) {
        Handed entry = it.next();
        if (!entry.deadline().get().isAfter(now)) {
          it.remove();
          givenUp.add(entry);
          tell(() -> entry.then().unrecorded(e));
        }
      }
      done(givenUp);
      return batch.isEmpty();
    } catch (RuntimeException e) { // a bug: each outcome's owner says so
      batch.forEach(entry -> tell(() -> entry.then().unrecorded(e)));
      done(batch);
      return true;
    }
    for (int i = 0; i < batch.size(); i++) {
      Then then = batch.get(i).then();
      Ending ending = endings.get(i);
      tell(() -> then.recorded(ending));
    }
    done(batch);
    return true;
  }

  /** Runs a {@link Then}: a bug in one must neither stop the recorder nor skip the others. */
  private static void tell(Runnable then) {
    try {
      then.run();
    } catch (RuntimeException e) {
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "worker.recorder_error")
          .setCause(e)
          .log("bug: acting on a recorded outcome failed");
    }
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.interrupted();
    }
  }

  /**
   * Waits until every outcome handed over so far is recorded or given up, then stops the sender:
   * call it after the slots are done, and before the heartbeat stops renewing their leases.
   */
  @Override
  public void close() {
    closing = true;
    handed.add(WAKE);
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
