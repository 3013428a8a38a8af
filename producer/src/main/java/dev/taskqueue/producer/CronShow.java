package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.task.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code producer cron show NAME}: every field of one schedule. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Shows a cron schedule: what each firing submits, when it fires next, and its last firing.")
final class CronShow implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "NAME", description = "The schedule's name.")
  private String name;

  @Option(names = "--json", description = "Print one JSON object with every field, for scripts.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    Names.check("schedule name", name);
    ScheduleView view;
    try (TaskClient client = cron.connect(config)) {
      view = ScheduleView.of(client.schedules().require(name), client);
    }
    Stdout.print(json ? ScheduleReport.json(view, true) + "\n" : ScheduleReport.text(view));
    return ExitCode.OK.code();
  }
}
