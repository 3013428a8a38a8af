package dev.taskqueue.registry;

import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModulePublisher;
import dev.taskqueue.module.ModuleVersion;
import java.util.Objects;

/**
 * Uploads task modules: only a {@link CheckedModule}, which {@link ModuleChecker} made after
 * checking the name, size, format, task ABI and that the module compiles, can be published. A
 * rejected module therefore writes nothing to Redis.
 */
public final class ModuleUploader {
  private final ModulePublisher publisher;

  public ModuleUploader(ModulePublisher publisher) {
    this.publisher = Objects.requireNonNull(publisher);
  }

  /**
   * What an upload did.
   *
   * @param version the newest version of the name, which now has these bytes
   * @param created whether that version was made by this upload; {@code false} when the newest
   *     version already had the bytes and nothing changed
   * @param module what was checked: digest, size, imports, initializer, memory pages
   */
  public record Uploaded(ModuleVersion version, boolean created, CheckedModule module) {}

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
    return new Uploaded(published.version(), published.created(), module);
  }
}
