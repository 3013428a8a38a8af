package dev.taskqueue.registry;

import dev.taskqueue.cli.CommandGroup;
import dev.taskqueue.cli.VersionProvider;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code registry} command: only a parent for its subcommands. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Checks task modules (WebAssembly) and stores them, versioned, in Redis, where every"
            + " worker finds them.")
public final class RegistryCommand implements Callable<Integer>, CommandGroup {
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          UploadCommand.class,
          ListCommand.class,
          ShowCommand.class,
          RemoveCommand.class,
          AutoComplete.GenerateCompletion.class);

  @Spec CommandSpec spec;

  @Override
  public List<Class<?>> subcommands() {
    return SUBCOMMANDS;
  }

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "name a command: upload, list, show, rm or generate-completion");
  }
}
