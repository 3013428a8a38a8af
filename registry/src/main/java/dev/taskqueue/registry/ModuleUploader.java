package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Uploads task modules: {@link ModuleChecker} checks the name, size, format, task ABI and that the
 * module compiles, and only then {@link ModuleStore#publish} stores it. A rejected module therefore
 * writes nothing to Redis.
 */
public final class ModuleUploader {
  private final ModuleStore store;
  private final ModuleChecker checker;

  public ModuleUploader(ModuleStore store, ModuleChecker checker) {
    this.store = Objects.requireNonNull(store);
    this.checker = Objects.requireNonNull(checker);
  }

  /** An uploader checking against the limits in {@code config}. */
  public ModuleUploader(ModuleStore store, Config config) {
    this(store, new ModuleChecker(config));
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

  /** Checks {@code file} ({@code .wasm} or {@code .wat}) and publishes it as {@code name}. */
  public Uploaded upload(String name, Path file) {
    return publish(checker.check(name, file));
  }

  /** Checks {@code bytes} (binary or text) and publishes them as {@code name}. */
  public Uploaded upload(String name, byte[] bytes, String source) {
    return publish(checker.check(name, bytes, source));
  }

  /** Publishes a module that was already checked, e.g. before connecting to Redis. */
  public Uploaded publish(CheckedModule module) {
    ModuleStore.Published published = store.publish(module.name(), module.bytes(), module.source());
    return new Uploaded(published.version(), published.created(), module);
  }
}
