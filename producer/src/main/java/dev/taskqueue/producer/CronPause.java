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

/** {@code producer cron pause NAME}: stops a schedule's firings until it is resumed. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Pauses a cron schedule: it fires no more until 'producer cron resume'. Pausing one that"
            + " is paused already changes nothing.")
final class CronPause implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "NAME", description = "The schedule's name.")
  private String name;

  @Override
  public Integer call() {
    Config config = common.config();
    Names.check("schedule name", name);
    boolean changed;
    try (TaskClient client = cron.connect(config)) {
      changed = client.schedules().pause(name);
    }
    Stdout.print(
        changed ? "paused schedule " + name + "\n" : "schedule " + name + " was already paused\n");
    return ExitCode.OK.code();
  }
}
