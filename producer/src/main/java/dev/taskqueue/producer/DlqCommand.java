package dev.taskqueue.producer;

import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code producer dlq}: groups the commands on dead tasks, those whose retries are spent. Like
 * {@code producer}, it runs nothing itself.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lists, shows, replays and purges dead tasks: those whose retries are spent.",
    subcommands = {DlqList.class, DlqShow.class, DlqReplay.class, DlqPurge.class})
final class DlqCommand {
  @ParentCommand private ProducerCommand producer;

  TaskClient connect(Config config) {
    return producer.connect(config);
  }

  Clock clock() {
    return producer.clock();
  }
}
