package dev.taskqueue.producer;

import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer cron}: groups the commands on cron schedules, each of which submits a task at
 * every fire time of its expression. Like {@code producer}, it runs nothing itself.
 */
@Command(
    name = "cron",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Adds, lists, shows, removes, pauses and resumes cron schedules.",
    subcommands = {
      CronAdd.class,
      CronList.class,
      CronShow.class,
      CronRemove.class,
      CronPause.class,
      CronResume.class
    })
final class CronCommand {
  @ParentCommand private ProducerCommand producer;

  TaskClient connect(Config config) {
    return producer.connect(config);
  }

  Clock clock() {
    return producer.clock();
  }
}
