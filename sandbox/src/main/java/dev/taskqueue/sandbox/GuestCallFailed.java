package dev.taskqueue.sandbox;

import com.dylibso.chicory.wasi.WasiExitException;

/**
 * A call into a guest's export that ended in a throw (a trap, a stack overflow, an interrupt, a
 * host function's failure), tagged with the export called, so that a task's error says whether its
 * {@code _initialize}, {@code alloc} or {@code execute} failed. {@link Sandbox} judges the throw
 * itself as before.
 */
final class GuestCallFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String function;

  private GuestCallFailed(String function, Throwable thrown) {
    super(function + ": " + thrown, thrown, false, false);
    this.function = function;
  }

  /**
   * {@code thrown} by the export {@code function}, to be thrown by the caller. An exit is left as
   * it is, for its code; so is running out of heap, thrown here, when there may be none for a
   * wrapper.
   */
  static RuntimeException in(String function, Throwable thrown) {
    if (thrown instanceof OutOfMemoryError outOfMemory) {
      throw outOfMemory;
    }
    if (thrown instanceof WasiExitException exit) {
      return exit;
    }
    return new GuestCallFailed(function, thrown);
  }

  /** The export that was called. */
  String function() {
    return function;
  }
}
