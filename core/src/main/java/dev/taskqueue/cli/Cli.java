package dev.taskqueue.cli;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.redis.RedisConnector;
import java.io.PrintWriter;
import java.util.Arrays;
import org.redisson.client.RedisException;
import picocli.CommandLine;

/**
 * Runs a picocli command the way every task-queue executable does: a problem is reported as one
 * line on standard error, prefixed with the command's name, and ends the program with the {@link
 * ExitCode} that fits; the stack trace is printed only with {@code --verbose}.
 */
public final class Cli {
  private Cli() {}

  /** Parses {@code args}, runs the command and returns the exit code. */
  public static int run(Object command, String... args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    CommandLine cli = new CommandLine(command);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // '@FILE' is ours (producer submit --payload @FILE), not picocli's argument files.
    cli.setExpandAtFiles(false);
    cli.setParameterExceptionHandler(
        (error, arguments) -> {
          CommandLine failed = error.getCommandLine();
          PrintWriter err = failed.getErr();
          err.println(
              failed.getCommandSpec().qualifiedName()
                  + ": "
                  + error.getMessage()
                  + " (see '"
                  + failed.getCommandSpec().qualifiedName()
                  + " --help')");
          err.flush();
          return ExitCode.INVALID_INPUT.code();
        });
    cli.setExecutionExceptionHandler(
        (error, failed, parseResult) -> {
          PrintWriter err = failed.getErr();
          err.println(failed.getCommandSpec().qualifiedName() + ": " + describe(error));
          if (verbose) {
            error.printStackTrace(err);
          }
          err.flush();
          return exitCode(error).code();
        });
    return cli.execute(args);
  }

  static String describe(Throwable error) {
    if (error instanceof TaskQueueException) {
      return error.getMessage();
    }
    if (error instanceof RedisException) {
      return "Redis stopped answering ("
          + RedisConnector.rootMessage(error)
          + "): check that it runs and that REDIS_URL points to it";
    }
    return "internal error: " + error + " (rerun with --verbose for the stack trace)";
  }

  static ExitCode exitCode(Throwable error) {
    if (error instanceof TaskQueueException known) {
      return known.exitCode();
    }
    if (error instanceof RedisException) {
      return ExitCode.UNAVAILABLE;
    }
    return ExitCode.FAILURE;
  }
}
