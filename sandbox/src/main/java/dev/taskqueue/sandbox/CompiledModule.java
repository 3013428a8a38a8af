package dev.taskqueue.sandbox;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InstanceTemplate;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import java.util.Objects;
import java.util.function.Function;

/**
 * A task module translated to JVM bytecode once; every task instance made from it reuses that
 * translation, so starting a task costs an instantiation, never a compilation. What an instance
 * starts from is worked out once too ({@link InstanceTemplate}).
 */
public final class CompiledModule {
  private final String digest;
  private final TaskModule module;
  private final Function<Instance, Machine> machines;
  private final InstanceTemplate template;

  private CompiledModule(String digest, TaskModule module, Function<Instance, Machine> machines) {
    this.digest = Objects.requireNonNull(digest);
    this.module = Objects.requireNonNull(module);
    this.machines = Objects.requireNonNull(machines);
    this.template = InstanceTemplate.of(module.module());
  }

  /**
   * Compiles a validated module; {@code digest} names it in errors and caches. A function too large
   * for one JVM method runs in Chicory's interpreter instead, silently: the default would print a
   * warning straight to the process's stderr.
   */
  public static CompiledModule compile(String digest, TaskModule module) {
    return new CompiledModule(
        digest,
        module,
        MachineFactoryCompiler.builder(module.module())
            .withInterpreterFallback(InterpreterFallback.SILENT)
            .compile());
  }

  /**
   * The module with every function in Chicory's interpreter, nothing compiled: what compiling saves
   * is measured against it (the {@code sandbox} bench). Tasks always run compiled modules.
   */
  public static CompiledModule interpreted(String digest, TaskModule module) {
    return new CompiledModule(digest, module, InterpreterMachine::new);
  }

  public String digest() {
    return digest;
  }

  public TaskModule module() {
    return module;
  }

  Function<Instance, Machine> machines() {
    return machines;
  }

  InstanceTemplate template() {
    return template;
  }
}
