package dev.taskqueue.registry;

import dev.taskqueue.sandbox.CompiledModule;
import dev.taskqueue.sandbox.TaskModule;
import java.util.Objects;

/**
 * A module that {@link ModuleChecker} accepted: its binary (assembled, when it was uploaded as
 * text), its digest and what it needs to run. Only the checker makes one, so whatever is published
 * from it was checked.
 */
public final class CheckedModule {
  private final String name;
  private final byte[] bytes;
  private final String digest;
  private final String source;
  private final boolean assembled;
  private final CompiledModule compiled;

  CheckedModule(
      String name,
      byte[] bytes,
      String digest,
      String source,
      boolean assembled,
      CompiledModule compiled) {
    this.name = Objects.requireNonNull(name);
    this.bytes = Objects.requireNonNull(bytes);
    this.digest = Objects.requireNonNull(digest);
    this.source = Objects.requireNonNull(source);
    this.assembled = assembled;
    this.compiled = Objects.requireNonNull(compiled);
  }

  /** The module name it is to be published under. */
  public String name() {
    return name;
  }

  /** {@code sha256:<hex>} of {@link #size()} bytes of module binary. */
  public String digest() {
    return digest;
  }

  public int size() {
    return bytes.length;
  }

  /** The file name it came from, as recorded with the version. */
  public String source() {
    return source;
  }

  /** Whether it came as WebAssembly text and was assembled. */
  public boolean assembled() {
    return assembled;
  }

  /** Its initializer, WASI imports and memory pages. */
  public TaskModule taskModule() {
    return compiled.module();
  }

  /** What the check compiled it to, for {@link StartCheck} to start. */
  CompiledModule compiled() {
    return compiled;
  }

  /** The binary itself; package-private so that nothing outside can change it after the check. */
  byte[] bytes() {
    return bytes;
  }
}
