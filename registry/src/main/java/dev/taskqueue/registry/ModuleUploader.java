package dev.taskqueue.registry;

import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;

/**
 * Uploads task modules: only a {@link CheckedModule}, which {@link ModuleChecker} made after
 * checking the name, size, format, task ABI and that the module compiles, can be published. A
 * rejected module therefore writes nothing to Redis.
 */
public final class ModuleUploader {
  private final ModulePublisher publisher;
  private final ModuleStore store;

  public ModuleUploader(ModulePublisher publisher, ModuleStore store) {
    this.publisher = Objects.requireNonNull(publisher);
    this.store = Objects.requireNonNull(store);
  }

  /**
   * What an upload did.
   *
   * @param version the newest version of the name, which now has these bytes
   * @param created whether that version was made by this upload; {@code false} when the newest
   *     version already had the bytes and nothing changed
   * @param module what was checked: digest, size, imports, initializer, memory pages
   * @param earlier for a version made by this upload, the newest earlier version of the name with
   *     the same bytes and options, else with the same bytes, if any: the upload brings back that
   *     version's code (a rollback, most often)
   */
  public record Uploaded(
      ModuleVersion version,
      boolean created,
      CheckedModule module,
      Optional<ModuleVersion> earlier) {}

  /** Publishes a checked module as the newest version of its name, unless it already is. */
  public Uploaded publish(CheckedModule module) {
    return publish(module, ModuleOptions.NONE);
  }

  /**
   * Publishes a checked module with {@code options}, unless the newest version already has these
   * bytes and these options.
   */
  public Uploaded publish(CheckedModule module, ModuleOptions options) {
    ModulePublisher.Published published =
        publisher.publish(module.name(), module.bytes(), module.source(), options);
    ModuleVersion version = published.version();
    Optional<ModuleVersion> earlier =
        published.created() ? sameBytesBefore(version) : Optional.empty();
    return new Uploaded(version, published.created(), module, earlier);
  }

  /**
   * The newest version before {@code version} with its bytes and options, else the newest with its
   * bytes: read one version at a time from the newest back ({@link ModuleStore#newestFirst}), so a
   * rollback to the version before costs one read.
   */
  private Optional<ModuleVersion> sameBytesBefore(ModuleVersion version) {
    Iterator<ModuleVersion> sameBytes =
        store
            .newestFirst(version.name(), version.version() - 1)
            .filter(before -> before.digest().equals(version.digest()))
            .iterator();
    Optional<ModuleVersion> first = Optional.empty();
    while (sameBytes.hasNext()) {
      ModuleVersion before = sameBytes.next();
      if (before.options().equals(version.options())) {
        return Optional.of(before);
      }
      if (first.isEmpty()) {
        first = Optional.of(before);
      }
    }
    return first;
  }
}
