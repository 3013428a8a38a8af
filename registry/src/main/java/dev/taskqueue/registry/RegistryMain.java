package dev.taskqueue.registry;

import dev.taskqueue.cli.Cli;

/** The registry executable: {@code java -jar task-queue-registry.jar upload greeter.wasm}. */
public final class RegistryMain {
  private RegistryMain() {}

  public static void main(String[] args) {
    System.exit(Cli.run(new RegistryCommand(), args));
  }
}
