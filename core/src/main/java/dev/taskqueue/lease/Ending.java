package dev.taskqueue.lease;

import dev.taskqueue.task.Stage;
import java.time.Instant;
import java.util.Optional;

/**
 * The answer to a request to end an attempt: whether it was recorded and, when this request
 * recorded it, where the rule of {@code include/attempt.lua} put the task.
 *
 * @param stage completed, pending (released), retrying or dead; empty unless {@link
 *     AttemptEnd#RECORDED}
 * @param retryAt when a retrying task runs again
 */
public record Ending(AttemptEnd result, Optional<Stage> stage, Optional<Instant> retryAt) {
  static Ending of(AttemptEnd result) {
    return new Ending(result, Optional.empty(), Optional.empty());
  }

  public boolean recorded() {
    return result.recorded();
  }
}
