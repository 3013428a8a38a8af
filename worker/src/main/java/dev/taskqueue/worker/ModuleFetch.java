package dev.taskqueue.worker;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.redis.Resend;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * Reads a module's bytes from the registry for the worker's module cache, riding out a short Redis
 * outage: an unanswered read is sent again for up to {@code patience}. A fetch that fails for good
 * fails every task waiting for that module, which then goes back to its queue; without the resends
 * a pause of a second or two (a failover, or a write pause that holds up a claim ahead of the read
 * on the same connection) sent tasks back that could have run a moment later.
 */
final class ModuleFetch implements Function<String, byte[]> {
  private final ModuleStore store;
  private final Clock clock;
  private final Duration patience;

  ModuleFetch(ModuleStore store, Clock clock, Duration patience) {
    this.store = store;
    this.clock = clock;
    this.patience = patience;
  }

  /**
   * @throws NotFoundException when the registry has no such bytes
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis did not answer for {@code
   *     patience}
   */
  @Override
  public byte[] apply(String digest) {
    return Resend.until(clock.instant().plus(patience), clock, () -> store.bytes(digest))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "its bytes are no longer in the registry (removed with"
                        + " 'registry rm --force'?)"));
  }
}
