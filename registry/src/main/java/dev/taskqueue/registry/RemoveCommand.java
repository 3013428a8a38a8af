package dev.taskqueue.registry;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.module.ModuleRemover;
import dev.taskqueue.queue.TaskInspector;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code registry rm NAME [--force]}: remove every version of a module. */
@Command(
    name = "rm",
    aliases = {"remove", "delete"},
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Removes every version of a module.",
      "Refused (exit 5) while tasks of that name are pending or in progress, or a cron schedule"
          + " submits them, unless --force."
    })
final class RemoveCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The module name.")
  String name;

  @Option(
      names = "--force",
      description =
          "Remove it even with open tasks or cron schedules; those tasks fail when a worker"
              + " reaches them, and those schedules fire no task until the name is uploaded"
              + " again.")
  boolean force;

  @Override
  public Integer call() {
    ModuleRemover.Removed removed;
    try (RegistrySession session = RegistrySession.open(common.config())) {
      removed = session.remover().remove(name, force);
    }
    PrintWriter out = spec.commandLine().getOut();
    String line =
        "removed "
            + name
            + ": "
            + removed.versions()
            + (removed.versions() == 1 ? " version" : " versions")
            + ", newest v"
            + removed.newest().version()
            + " "
            + Display.shortDigest(removed.newest().digest());
    if (!removed.openTasks().isEmpty()) {
      line +=
          "; its open tasks will fail when a worker reaches them: "
              + TaskInspector.describe(removed.openTasks());
    }
    if (!removed.schedules().isEmpty()) {
      line +=
          "; "
              + (removed.schedules().size() == 1 ? "its cron schedule " : "its cron schedules ")
              + String.join(", ", removed.schedules())
              + " will fire no task until "
              + name
              + " is uploaded again";
    }
    out.println(line);
    out.flush();
    return ExitCode.OK.code();
  }
}
