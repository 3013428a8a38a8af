package dev.taskqueue.registry;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleName;
import dev.taskqueue.sandbox.CompiledModule;
import dev.taskqueue.sandbox.InvalidModuleException;
import dev.taskqueue.sandbox.ModuleLimits;
import dev.taskqueue.sandbox.ModuleValidator;
import dev.taskqueue.sandbox.TaskModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Decides whether a file, or bytes, may become a module version: the name is valid, the input is
 * readable and within {@code TASK_QUEUE_MAX_MODULE_BYTES}, text is assembled ({@link
 * ModuleFormat}), the module is within the workers' {@link ModuleLimits} and memory cap ({@code
 * TASK_QUEUE_MAX_MEMORY_PAGES}) and follows the task ABI ({@link ModuleValidator}), and Chicory can
 * compile it. Nothing here talks to Redis, so a module rejected here has written nothing; nor does
 * a module that runs this process out of heap escape as an {@link OutOfMemoryError}.
 */
public final class ModuleChecker {
  private final long maxBytes;
  private final String limitSource;
  private final int maxMemoryPages;
  private final String pagesSource;
  private final BiFunction<String, TaskModule, CompiledModule> compiler;

  /** Takes the size limit, and where it was set (for messages), from {@code config}. */
  public ModuleChecker(Config config) {
    this(config, CompiledModule::compile);
  }

  /** A checker compiling with {@code compiler}: tests make it fail. */
  ModuleChecker(Config config, BiFunction<String, TaskModule, CompiledModule> compiler) {
    this.maxBytes = config.get(Settings.MAX_MODULE_BYTES);
    this.limitSource = config.source(Settings.MAX_MODULE_BYTES);
    this.maxMemoryPages = config.get(Settings.MAX_MEMORY_PAGES);
    this.pagesSource = config.source(Settings.MAX_MEMORY_PAGES);
    this.compiler = compiler;
  }

  /**
   * Checks the module in {@code file}, a {@code .wasm} or {@code .wat} file.
   *
   * @throws InvalidInputException naming the file and what is wrong with it
   */
  public CheckedModule check(String name, Path file) {
    ModuleName.check(name);
    String source = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    if (!Files.exists(file)) {
      throw new InvalidInputException("module file '" + file + "' does not exist: check the path");
    }
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(
          "module file '" + file + "' is not a regular file: give a .wasm or .wat file");
    }
    byte[] input;
    try {
      // The size is checked before reading, so an enormous file is refused without loading it.
      checkSize(Files.size(file), source);
      input = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read module file '" + file + "' (" + e + "): check its permissions", e);
    }
    return check(name, input, source);
  }

  /**
   * Checks {@code input}, a module binary or WebAssembly text; {@code source} is the file name it
   * came from, used in messages and recorded with the version.
   *
   * @throws InvalidInputException naming the source and what is wrong with it
   */
  public CheckedModule check(String name, byte[] input, String source) {
    ModuleName.check(name);
    checkSize(input.length, source);
    try {
      byte[] binary = ModuleFormat.toBinary(input, source);
      boolean assembled = binary != input;
      if (assembled) {
        checkSize(binary.length, source + " (assembled)");
      }
      TaskModule module = ModuleValidator.validate(binary, source);
      checkMemory(module, source);
      String digest = ModuleDigest.of(binary);
      CompiledModule compiled = compile(digest, module, source);
      return new CheckedModule(name, binary, digest, source, assembled, compiled);
    } catch (OutOfMemoryError e) {
      // The limits keep modules far below this; whatever was allocated is garbage now.
      throw new InvalidModuleException(
          source
              + " could not be checked: this process ran out of heap ("
              + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage())
              + "); run the registry with more heap (TASK_QUEUE_REGISTRY_JAVA_OPTS=-Xmx...) or"
              + " make the module smaller",
          e);
    }
  }

  /**
   * Compiles once: a module that validates but that Chicory's compiler cannot translate could never
   * run on a worker, so it is refused now rather than at its first task. What it compiled to is
   * what {@link StartCheck} starts.
   */
  private CompiledModule compile(String digest, TaskModule module, String source) {
    try {
      return compiler.apply(digest, module);
    } catch (RuntimeException | LinkageError e) {
      throw new InvalidModuleException(
          source
              + " is valid WebAssembly but Chicory cannot compile it ("
              + (e.getMessage() == null ? e.toString() : e.getMessage())
              + "), so no worker could run it; rebuild it (smaller functions often help) or"
              + " report it with the module attached",
          e);
    }
  }

  /**
   * The registry reads the workers' memory cap from the same setting as they do: a module that
   * starts with more memory than that could never run, so it is refused now, not at run time.
   */
  private void checkMemory(TaskModule module, String source) {
    if (module.initialPages() > maxMemoryPages) {
      throw new InvalidInputException(
          source
              + " starts with "
              + module.initialPages()
              + " memory pages, more than the "
              + maxMemoryPages
              + " workers allow ("
              + Settings.MAX_MEMORY_PAGES.name()
              + ", from "
              + pagesSource
              + "): lower its initial memory, or raise the setting for the registry and the"
              + " workers");
    }
  }

  private void checkSize(long size, String what) {
    if (size > maxBytes) {
      throw new InvalidInputException(
          what
              + " is "
              + size
              + " bytes, over the limit of "
              + maxBytes
              + " bytes ("
              + Settings.MAX_MODULE_BYTES.name()
              + ", from "
              + limitSource
              + "): make the module smaller or raise the setting");
    }
  }
}
