package dev.taskqueue.scheduler;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.error.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The scheduler executable. It will promote due scheduled and cron tasks into their queues; until
 * the scheduler issue lands it says so and exits, so that nobody mistakes it for a running
 * scheduler.
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Will promote due scheduled and cron tasks into their queues. Not built yet.")
public final class SchedulerMain implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(Cli.run(new SchedulerMain(), args));
  }

  @Override
  public Integer call() {
    System.err.println(
        "scheduler: not built yet: it will promote due scheduled and cron tasks into their queues; that comes with the scheduler issue (see the roadmap)");
    return ExitCode.FAILURE.code();
  }
}
