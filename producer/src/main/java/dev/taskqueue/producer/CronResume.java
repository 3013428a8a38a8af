package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.schedule.Schedule;
import dev.taskqueue.task.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code producer cron resume NAME}: restarts a paused schedule from its next fire time. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Resumes a paused cron schedule from its next fire time after now; the firings missed"
            + " while it was paused are not made up.")
final class CronResume implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Mixin private CommonOptions common;

  @Parameters(paramLabel = "NAME", description = "The schedule's name.")
  private String name;

  @Override
  public Integer call() {
    Config config = common.config();
    Names.check("schedule name", name);
    boolean changed;
    Schedule schedule;
    try (TaskClient client = cron.connect(config)) {
      changed = client.schedules().resume(name);
      schedule = client.schedules().require(name);
    }
    if (!changed) {
      Stdout.print("schedule " + name + " was not paused\n");
      return ExitCode.OK.code();
    }
    Stdout.print(
        "resumed schedule "
            + name
            + ": next fire at "
            + schedule.nextFireAt().map(at -> ScheduleReport.time(at, schedule)).orElse("never")
            + "\n");
    return ExitCode.OK.code();
  }
}
