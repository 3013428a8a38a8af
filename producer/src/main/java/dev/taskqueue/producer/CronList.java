package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.schedule.Schedule;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code producer cron list}: every schedule by name, when it fires next and what it last did. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Lists the cron schedules by name: task, queue, expression and zone, catch-up policy,"
          + " paused or not, the next three fire times, the last firing and the task it made.",
      "Times are in each schedule's zone."
    })
final class CronList implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Mixin private CommonOptions common;

  @Option(names = "--json", description = "Print one JSON object per schedule, one per line.")
  private boolean json;

  @Override
  public Integer call() {
    Config config = common.config();
    List<ScheduleView> views;
    try (TaskClient client = cron.connect(config)) {
      List<Schedule> schedules = client.schedules().list();
      views = schedules.stream().map(s -> ScheduleView.of(s, client)).toList();
    }
    if (json) {
      StringBuilder out = new StringBuilder();
      views.forEach(v -> out.append(ScheduleReport.json(v, false)).append('\n'));
      Stdout.print(out.toString());
    } else {
      Stdout.print(
          views.isEmpty() ? "no cron schedules\n" : ScheduleReport.table(views).render(""));
    }
    return ExitCode.OK.code();
  }
}
