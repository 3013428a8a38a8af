package dev.taskqueue.cli;

import dev.taskqueue.config.Credentials;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.TaskQueueException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs a picocli command the way every task-queue executable does: a problem is reported as one
 * line on standard error, prefixed with the command's name, and ends the program with the {@link
 * ExitCode} that fits; the stack trace is printed only with {@code --verbose}. Whatever it prints
 * about an error has the passwords of URLs masked ({@link Credentials}).
 */
public final class Cli {
  private Cli() {}

  /**
   * Parses {@code args}, runs the command with the process environment and returns the exit code.
   */
  public static int run(Object command, String... args) {
    return run(command, System.getenv(), args);
  }

  /**
   * Parses {@code args}, runs the command and returns the exit code; every {@link CommonOptions} of
   * the command and its subcommands reads its settings from {@code environment} instead of the
   * process environment (an env file is read as before: {@code --env-file}, else {@code ./.env}).
   */
  public static int run(Object command, Map<String, String> environment, String... args) {
    CommandLine cli = new CommandLine(command);
    if (command instanceof CommandGroup group) {
      addSubcommands(cli, group.subcommands(), args);
    }
    CommonOptions.inTree(cli.getCommandSpec()).forEach(o -> o.useEnvironment(environment));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // '@FILE' is ours (producer submit --payload @FILE), not picocli's argument files.
    cli.setExpandAtFiles(false);
    cli.setParameterExceptionHandler(
        (error, arguments) -> {
          CommandLine failed = error.getCommandLine();
          PrintWriter err = failed.getErr();
          // picocli quotes arguments, which may be a URL with a password.
          err.println(
              Credentials.maskIn(
                  failed.getCommandSpec().qualifiedName()
                      + ": "
                      + error.getMessage()
                      + didYouMean(error)
                      + " (see '"
                      + failed.getCommandSpec().qualifiedName()
                      + " --help')"));
          err.flush();
          return ExitCode.INVALID_INPUT.code();
        });
    cli.setExecutionExceptionHandler(
        (error, failed, parseResult) -> {
          PrintWriter err = failed.getErr();
          err.println(
              Credentials.maskIn(
                  failed.getCommandSpec().qualifiedName()
                      + ": "
                      + describe(error)
                      + lookedIn(error, failed)));
          if (verbose(failed)) {
            err.print(Credentials.maskIn(stackTrace(error)));
          }
          err.flush();
          return exitCode(error).code();
        });
    return cli.execute(args);
  }

  /**
   * What the arguments picocli could not place were likely meant as: the failed command's own
   * {@link UnmatchedHint} when it has one, else picocli's guess at what a mistyped subcommand or
   * option meant ({@code producer dlq lst}: {@code list}), kept only when it is within two edits of
   * what was typed: picocli also offers names that merely share letters ({@code remove} for {@code
   * resume}), and a wrong hint misleads.
   */
  private static String didYouMean(ParameterException error) {
    if (!(error instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return "";
    }
    if (error.getCommandLine().getCommand() instanceof UnmatchedHint command) {
      Optional<String> hint = command.hintFor(unmatched.getUnmatched());
      if (hint.isPresent()) {
        return "; " + hint.get();
      }
    }
    String typed = unmatched.getUnmatched().get(0);
    List<String> close =
        unmatched.getSuggestions().stream()
            .filter(guess -> Typo.edits(bare(typed), bare(guess)) <= 2)
            .limit(2)
            .map(guess -> "'" + guess + "'")
            .toList();
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }

  private static String bare(String name) {
    return name.replaceFirst("^-+", "");
  }

  /**
   * For something not found in Redis, which Redis was looked in: the likeliest cause is a command
   * pointed at another one (REDIS_URL not set in this shell, say, and the default taken).
   */
  private static String lookedIn(Throwable error, CommandLine failed) {
    List<CommonOptions> options = CommonOptions.of(failed.getCommandSpec());
    if (!(error instanceof NotFoundException) || options.isEmpty()) {
      return "";
    }
    try {
      return " (looked in Redis at "
          + options.get(0).configBuilder().build().get(Settings.REDIS_URL)
          + ")";
    } catch (RuntimeException e) {
      return ""; // the settings were read before the lookup; an error now adds nothing
    }
  }

  /**
   * The subcommand {@code args} name first, or all of them when they name none or want them all.
   */
  private static void addSubcommands(CommandLine cli, List<Class<?>> subcommands, String[] args) {
    String first = args.length == 0 ? "" : args[0];
    List<Class<?>> named =
        subcommands.stream()
            .filter(subcommand -> names(subcommand).contains(first))
            .filter(subcommand -> !subcommand.equals(AutoComplete.GenerateCompletion.class))
            .toList();
    for (Class<?> subcommand : named.isEmpty() ? subcommands : named) {
      cli.addSubcommand(subcommand);
    }
  }

  private static List<String> names(Class<?> subcommand) {
    Command command = subcommand.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(command.aliases()));
    names.add(command.name());
    return names;
  }

  /** The parsed {@code --verbose} of the command that failed: not any argument spelt so. */
  private static boolean verbose(CommandLine failed) {
    return CommonOptions.of(failed.getCommandSpec()).stream().anyMatch(o -> o.verbose);
  }

  private static String stackTrace(Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  static String describe(Throwable error) {
    if (error instanceof TaskQueueException) {
      return error.getMessage();
    }
    return "internal error: " + error + " (rerun with --verbose for the stack trace)";
  }

  static ExitCode exitCode(Throwable error) {
    if (error instanceof TaskQueueException known) {
      return known.exitCode();
    }
    return ExitCode.FAILURE;
  }
}
