package dev.taskqueue.sandbox;

/**
 * The interruptible state of one run: waiting for its module, then running the guest. The watchdog
 * (time is up) and the worker (it is stopping) interrupt the running thread only through {@link
 * #interrupt}; {@link #finish} closes the door under the same lock and clears any interrupt that
 * came through it, so an interrupt meant for a guest never reaches the worker's next Redis call.
 */
final class Execution {
  enum State {
    RUNNING,
    TIMED_OUT,
    STOPPED,
    FINISHED
  }

  private final Thread thread;
  private final long deadline;
  private State state = State.RUNNING;

  /**
   * The run on {@code thread}, whose time is up when {@link System#nanoTime} passes {@code
   * deadline}.
   */
  Execution(Thread thread, long deadline) {
    this.thread = thread;
    this.deadline = deadline;
  }

  /** When the run's time is up, in {@link System#nanoTime}'s terms. */
  long deadline() {
    return deadline;
  }

  /** Interrupts the guest if it still runs; {@code reason} is TIMED_OUT or STOPPED. */
  synchronized void interrupt(State reason) {
    if (state == State.RUNNING) {
      state = reason;
      thread.interrupt();
    }
  }

  /**
   * Marks the run over; called by the running thread.
   *
   * @return the state it ended in: RUNNING if nobody interrupted it
   */
  synchronized State finish() {
    State ended = state;
    state = State.FINISHED;
    if (ended != State.RUNNING) {
      // The interrupt was ours and was delivered inside interrupt(): clear it.
      Thread.interrupted();
    }
    return ended;
  }

  /** How the run ends so far; RUNNING until someone interrupts it. */
  synchronized State state() {
    return state;
  }
}
