package dev.taskqueue.lease;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/** Where the share of a retry's backoff comes from: full jitter spreads retries out evenly. */
final class Jitter {
  static final DoubleSupplier RANDOM = () -> ThreadLocalRandom.current().nextDouble();

  private Jitter() {}
}
