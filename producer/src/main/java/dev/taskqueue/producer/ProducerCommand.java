package dev.taskqueue.producer;

import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import java.util.Objects;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code producer}: the command that groups the subcommands. It runs nothing itself, so picocli
 * answers a bare {@code producer} with "Missing required subcommand". It also decides how the
 * subcommands get their {@link TaskClient}, so tests can share one Redis connection.
 */
@Command(
    name = "producer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Submits tasks to task-queue and reads their state and results.",
    subcommands = {
      SubmitCommand.class,
      StatusCommand.class,
      ResultCommand.class,
      DlqCommand.class,
      AutoComplete.GenerateCompletion.class
    })
public final class ProducerCommand {
  private final Function<Config, TaskClient> clients;

  /** Each subcommand connects to the Redis its settings name. */
  public ProducerCommand() {
    this(config -> TaskClient.builder(config).build());
  }

  ProducerCommand(Function<Config, TaskClient> clients) {
    this.clients = Objects.requireNonNull(clients);
  }

  TaskClient connect(Config config) {
    return clients.apply(config);
  }
}
