package dev.taskqueue.producer;

import dev.taskqueue.cli.CommandGroup;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * {@code producer}: the command that groups the subcommands. It runs nothing itself, so picocli
 * answers a bare {@code producer} with "Missing required subcommand". It also decides how the
 * subcommands get their {@link TaskClient} and the time they check input against ({@code --in},
 * {@code --at}, a run-at in the past), so tests can share one Redis connection and a set clock.
 */
@Command(
    name = "producer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Submits tasks to task-queue and reads their state and results.")
public final class ProducerCommand implements CommandGroup {
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          SubmitCommand.class,
          StatusCommand.class,
          ResultCommand.class,
          LogsCommand.class,
          CancelCommand.class,
          ScheduledCommand.class,
          CronCommand.class,
          DlqCommand.class,
          QueuesCommand.class,
          PauseCommand.class,
          ResumeCommand.class,
          InspectCommand.class,
          StatsCommand.class,
          WorkersCommand.class,
          AutoComplete.GenerateCompletion.class);

  private final Function<Config, TaskClient> clients;
  private final Clock clock;

  /** Each subcommand connects to the Redis its settings name, and reads the system clock. */
  public ProducerCommand() {
    this(config -> TaskClient.builder(config).build(), Clock.systemUTC());
  }

  ProducerCommand(Function<Config, TaskClient> clients, Clock clock) {
    this.clients = Objects.requireNonNull(clients);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public List<Class<?>> subcommands() {
    return SUBCOMMANDS;
  }

  TaskClient connect(Config config) {
    return clients.apply(config);
  }

  /** Now, for checks made before connecting; the client's own clock must agree with it. */
  Clock clock() {
    return clock;
  }
}
