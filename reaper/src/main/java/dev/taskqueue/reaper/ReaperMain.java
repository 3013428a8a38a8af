package dev.taskqueue.reaper;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.error.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * The reaper executable. It will recover tasks whose worker died or hung, retrying or
 * dead-lettering them; until the leases-and-retries issue lands it says so and exits, so that
 * nobody mistakes it for a running reaper.
 */
@Command(
    name = "reaper",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Will recover tasks whose worker died or hung, retrying or dead-lettering them. Not built yet.")
public final class ReaperMain implements Callable<Integer> {
  public static void main(String[] args) {
    System.exit(Cli.run(new ReaperMain(), args));
  }

  @Override
  public Integer call() {
    System.err.println(
        "reaper: not built yet: it will recover tasks whose worker died or hung, retrying or dead-lettering them; that comes with the leases-and-retries issue (see the roadmap)");
    return ExitCode.FAILURE.code();
  }
}
