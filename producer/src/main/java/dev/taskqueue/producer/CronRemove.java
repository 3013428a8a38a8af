package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.task.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code producer cron rm NAME}: deletes a schedule; the tasks it fired stay. */
@Command(
    name = "rm",
    aliases = {"remove", "delete"},
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Removes a cron schedule. The tasks it fired stay, with their results.")
final class CronRemove implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "NAME", description = "The schedule's name.")
  private String name;

  @Override
  public Integer call() {
    Config config = common.config();
    Names.check("schedule name", name);
    try (TaskClient client = cron.connect(config)) {
      client.schedules().remove(name);
    }
    Stdout.print("removed schedule " + name + "\n");
    return ExitCode.OK.code();
  }
}
