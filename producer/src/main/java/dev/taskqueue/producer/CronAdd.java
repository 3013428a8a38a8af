package dev.taskqueue.producer;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.schedule.CronExpression;
import dev.taskqueue.schedule.Schedule;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.SubmissionRules;
import dev.taskqueue.task.Names;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code producer cron add}: a schedule that submits the same task at every fire time. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Adds a cron schedule: at every fire time of --cron in --tz it submits --task with"
          + " --payload, as 'producer submit' would. Prints its name and first fire time.",
      "Example: producer cron add --name nightly --task report --payload '{}' --cron '0 0 2 * * *'"
          + " --tz Europe/Berlin"
    })
final class CronAdd implements Callable<Integer> {
  @ParentCommand private CronCommand cron;

  @Spec private CommandSpec spec;

  @Mixin private CommonOptions common;

  @Mixin private SubmissionOptions task;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "The schedule's name, unique under the key prefix.")
  private String name;

  @Option(
      names = "--cron",
      required = true,
      paramLabel = "EXPRESSION",
      description =
          "When it fires: 6 fields (second minute hour day month weekday, as in '0 0 2 * * *'),"
              + " the 5 of Unix cron (as in '0 2 * * *'), or @yearly, @monthly, @weekly, @daily or"
              + " @hourly.")
  private String expression;

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      description =
          "Time zone of the expression, an IANA name such as Europe/Berlin (default:"
              + " ${DEFAULT-VALUE}).")
  private String zone = "UTC";

  @Option(
      names = "--catch-up",
      paramLabel = "POLICY",
      description =
          "Firings missed while no scheduler ran: fire-once (one run for them all), skip, or all"
              + " (default: ${DEFAULT-VALUE}).")
  private String catchUp = CatchUp.FIRE_ONCE.wireName();

  @Override
  public Integer call() {
    Config config = common.config();
    // The store checks all of this again; checking first reports bad input without Redis.
    Names.check("schedule name", name);
    Submission submission = task.builder(config, spec).build();
    SubmissionRules.check(submission, config, cron.clock());
    CronExpression.parse(expression, zone);
    CatchUp policy = CatchUp.parse(catchUp);
    Schedule added;
    try (TaskClient client = cron.connect(config)) {
      added = client.schedules().add(name, submission, expression, zone, policy);
    }
    Stdout.print(
        "added schedule "
            + added.name()
            + ": first fire at "
            + added.nextFireAt().map(at -> ScheduleReport.time(at, added)).orElse("never")
            + " ("
            + added.cron().zone()
            + ")\n");
    return ExitCode.OK.code();
  }
}
