package dev.taskqueue.registry;

import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
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
   * bytes: read one version at a time from the newest back, so a rollback to the version before
   * costs one read. Stops at the first number missing: removing the name took every version below
   * it.
   */
  private Optional<ModuleVersion> sameBytesBefore(ModuleVersion version) {
    Optional<ModuleVersion> sameBytes = Optional.empty();
    for (int v = version.version() - 1; v >= 1; v--) {
      Optional<ModuleVersion> before = store.version(version.name(), v);
      if (before.isEmpty()) {
        break;
      }
      if (before.get().digest().equals(version.digest())) {
        if (before.get().options().equals(version.options())) {
          return before;
        }
        if (sameBytes.isEmpty()) {
          sameBytes = before;
        }
      }
    }
    return sameBytes;
  }
}
