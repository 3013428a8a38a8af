package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.AttemptOutcome;
import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Ending;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.redis.Backoff;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.Resend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the outcomes of attempts in the background, those that end at about the same time
 * together, in one round trip ({@link AttemptRecorder#endAllAsync}). A slot hands its outcome over
 * and goes on to its next task; what to do once Redis has answered is the outcome's {@link Then},
 * run on this recorder's thread. One batch is out at a time: what ends while it is in Redis waits
 * and goes in the next, sent when it is answered, so under load a batch holds every task that ended
 * during one round trip. When nothing is out, a slot sends its outcome itself, at once, without
 * waiting for the answer: an idle worker's task then wakes this thread once (for the answer), not
 * twice (for the outcome, then for the answer).
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
      return outcome.text().length();
    }
  }

  /** A batch Redis answered: its endings, in order, or why there are none. */
  private record Answer(List<Handed> batch, List<Ending> endings, Throwable failure) {}

  private final AttemptRecorder recorder;
  private final Clock clock;
  private final Thread sender;
  private final Object lock = new Object();

  // Guarded by lock.
  /** Outcomes for the next batch, handed over while one is out. */
  private final Queue<Handed> handed = new ArrayDeque<>();

  /**
   * Whether a batch is out: sent and not answered, answered and not yet acted on, or waiting to be
   * sent again. While one is, outcomes wait in {@link #handed}; while none is, none wait there.
   */
  private boolean out;

  /** The answer to the batch out, for this recorder's thread to act on. */
  private Answer answer;

  private boolean closing;
  private boolean finished;
  private long waitingChars;

  BatchRecorder(AttemptRecorder recorder, Clock clock) {
    this.recorder = recorder;
    this.clock = clock;
    this.sender = new Thread(this::actOnAnswers, "attempt-recorder");
    this.sender.setDaemon(true);
    this.sender.start();
  }

  /**
   * Hands {@code outcome} over to be recorded; {@code then} runs once it is, or once it cannot be.
   * With no batch out, the outcome goes to Redis from the calling thread, which does not wait for
   * the answer.
   *
   * @param deadline until when to keep sending it while Redis does not answer (looked up at each
   *     try: a lease moves on as the heartbeat renews it)
   */
  void record(AttemptOutcome outcome, Supplier<Instant> deadline, Then then) {
    Handed entry = new Handed(outcome, deadline, then);
    if (handOver(entry)) {
      return;
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
   * Puts {@code entry} in the next batch while one is out; else sends it, as a batch of its own,
   * from this thread.
   *
   * @return false once this recorder has finished: nothing was done with it
   */
  private boolean handOver(Handed entry) {
    synchronized (lock) {
      awaitRoomFor(entry.chars());
      if (finished) {
        return false;
      }
      waitingChars += entry.chars();
      if (out) {
        handed.add(entry);
        return true;
      }
      out = true;
    }
    send(List.of(entry));
    return true;
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

  /**
   * Sends {@code batch} without waiting for the answer, which {@link #actOnAnswers} takes up.
   * Called by whoever made {@link #out} true for it.
   */
  private void send(List<Handed> batch) {
    List<AttemptOutcome> outcomes = new ArrayList<>(batch.size());
    for (Handed entry : batch) {
      outcomes.add(entry.outcome());
    }
    CompletableFuture<List<Ending>> reply;
    try {
      reply = recorder.endAllAsync(outcomes);
    } catch (RuntimeException e) { // a bug: each outcome's owner says so
      reply = CompletableFuture.failedFuture(e);
    }
    // What it completes with, failure too, goes to the answer; the future adds nothing.
    var unused =
        reply.whenComplete((endings, failure) -> answered(new Answer(batch, endings, failure)));
  }

  /**
   * Runs where the answer arrives (the client's event loop): hands it to this recorder's thread.
   */
  private void answered(Answer answered) {
    synchronized (lock) {
      answer = answered;
      lock.notifyAll();
    }
  }

  /**
   * This recorder's thread: acts on each answer, then sends what was handed over meanwhile, or what
   * Redis did not take, again, as the next batch; ends once closing with no batch out.
   */
  private void actOnAnswers() {
    Backoff pauses = Resend.pauses();
    while (true) {
      Answer taken = nextAnswer();
      if (taken == null) {
        return;
      }
      List<Handed> batch = new ArrayList<>(actOn(taken));
      if (batch.isEmpty()) {
        pauses.reset();
      } else {
        pause(pauses.next());
      }
      synchronized (lock) {
        Batches.fill(batch, handed, MAX_BATCH, MAX_BATCH_CHARS, Handed::chars);
        if (batch.isEmpty()) {
          // No one waits on this but this thread: the slots wait for room, not for it.
          out = false;
          continue;
        }
      }
      send(batch);
    }
  }

  /** Waits for the answer to the batch out; null once closing with none out. */
  private Answer nextAnswer() {
    synchronized (lock) {
      while (answer == null) {
        if (closing && !out) {
          finished = true;
          lock.notifyAll();
          return null;
        }
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // Nobody interrupts this thread; if something does, closing is what ends the loop.
          Thread.interrupted();
        }
      }
      Answer taken = answer;
      answer = null;
      return taken;
    }
  }

  /**
   * Tells each outcome's owner what became of it.
   *
   * @return the outcomes to send again: Redis did not answer, and their deadlines have not passed
   */
  private List<Handed> actOn(Answer answer) {
    List<Handed> batch = answer.batch();
    if (answer.failure() == null) {
      for (int i = 0; i < batch.size(); i++) {
        Then then = batch.get(i).then();
        Ending ending = answer.endings().get(i);
        tell(() -> then.recorded(ending));
      }
      done(batch);
      return List.of();
    }
    RuntimeException failure = Redis.failure(answer.failure());
    if (failure instanceof RedisUnavailableException e) {
      Instant now = clock.instant();
      List<Handed> again = new ArrayList<>(batch.size());
      List<Handed> givenUp = new ArrayList<>();
      for (Handed entry : batch) {
        if (entry.deadline().get().isAfter(now)) {
          again.add(entry);
        } else {
          givenUp.add(entry);
          tell(() -> entry.then().unrecorded(e));
        }
      }
      done(givenUp);
      return again;
    }
    // A bug: each outcome's owner says so.
    batch.forEach(entry -> tell(() -> entry.then().unrecorded(failure)));
    done(batch);
    return List.of();
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
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    try {
      sender.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
