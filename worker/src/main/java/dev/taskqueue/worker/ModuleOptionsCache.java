package dev.taskqueue.worker;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.redis.Resend;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The options (granted environment, own limits) of each module version this worker runs, read from
 * the registry the first time a task of that version comes, then kept: a version never changes, so
 * the hot path reads a map, not Redis. An unanswered read is sent again for up to {@code patience},
 * as a module's bytes are ({@link ModuleFetch}).
 */
final class ModuleOptionsCache {
  /** Versions kept at most; past it the map starts again, as cheap as the first read of each. */
  static final int MOST_VERSIONS = 10_000;

  private final ModuleStore store;
  private final Clock clock;
  private final Duration patience;
  private final Map<String, ModuleOptions> known = new ConcurrentHashMap<>();

  ModuleOptionsCache(ModuleStore store, Clock clock, Duration patience) {
    this.store = store;
    this.clock = clock;
    this.patience = patience;
  }

  /**
   * The options of version {@code version} of {@code name}.
   *
   * @throws NotFoundException when the registry no longer has that version
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis did not answer for {@code
   *     patience}
   */
  ModuleOptions of(String name, int version) {
    String key = version + " " + name;
    ModuleOptions options = known.get(key);
    if (options != null) {
      return options;
    }
    options =
        Resend.until(clock.instant().plus(patience), clock, () -> store.version(name, version))
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "v"
                            + version
                            + " is no longer in the registry (removed with 'registry rm"
                            + " --force'?)"))
            .options();
    if (known.size() >= MOST_VERSIONS) {
      known.clear();
    }
    known.put(key, options);
    return options;
  }
}
