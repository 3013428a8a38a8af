package dev.taskqueue.worker;

import dev.taskqueue.sandbox.Outcome;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.util.Optional;

/**
 * The error of an attempt the guest ended itself, by a trap or an exit, with the last line it wrote
 * to stderr: a C program's failed assertion prints its message and then traps in {@code abort()},
 * one that gives up prints why and exits, and {@code producer status} and {@code dlq list} should
 * show that reason, not only "trapped" or "exited with code 2".
 */
final class GuestFault {
  /** Of the line, what an error quotes. */
  static final int QUOTED = 200;

  private GuestFault() {}

  /** {@code outcome}, its message ending with {@code line} when the guest trapped or exited. */
  static Outcome withLastStderrLine(Outcome outcome, Optional<String> line) {
    if (line.isEmpty()
        || !(outcome instanceof Failed failed)
        || (failed.failure() != Failure.TRAP && failed.failure() != Failure.EXIT)) {
      return outcome;
    }
    String text = line.get().strip().replaceAll("\\p{Cntrl}", "?");
    String quoted = text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text;
    return new Failed(
        failed.failure(), failed.message() + "; last on stderr: " + quoted, failed.elapsed());
  }
}
