package dev.taskqueue.registry;

import dev.taskqueue.config.Settings;
import dev.taskqueue.config.ValueType;
import dev.taskqueue.config.ValueTypes;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.sandbox.TaskModule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import picocli.CommandLine.Option;

/**
 * The flags of {@code registry upload} that grant a module its environment and set its own limits
 * ({@link ModuleOptions}). Each limit only lowers the workers' own, which win.
 */
final class ModuleOptionFlags {
  private static final ValueType<Integer> PAGES = ValueTypes.integer(1, 65536);
  private static final ValueType<Duration> TIMEOUT =
      ValueTypes.duration(Settings.MIN_TIMEOUT, Settings.MAX_TIMEOUT);
  private static final ValueType<Long> OUTPUT = ValueTypes.bytes(0, 1L << 30);
  private static final ValueType<Long> RESULT = ValueTypes.bytes(0, 64L << 20);

  @Option(
      names = "--env",
      paramLabel = "NAME=VALUE",
      description =
          "An environment variable the module's tasks see (repeatable); nothing else reaches them.")
  private List<String> env = new ArrayList<>();

  @Option(
      names = "--memory-pages",
      paramLabel = "N",
      description =
          "Linear memory cap of its tasks in 64 KiB pages, at least what the module starts with"
              + " (the workers' TASK_QUEUE_MAX_MEMORY_PAGES wins if lower).")
  private String memoryPages;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Longest an attempt may run, whatever its task asks for, 10ms-24h, e.g. 30s.")
  private String timeout;

  @Option(
      names = "--max-output",
      paramLabel = "SIZE",
      description =
          "Most of an attempt's output its log keeps, e.g. 64KiB (the workers'"
              + " TASK_QUEUE_MAX_OUTPUT_BYTES wins if lower).")
  private String maxOutput;

  @Option(
      names = "--max-result",
      paramLabel = "SIZE",
      description =
          "Largest result an attempt may return, e.g. 64KiB (the workers'"
              + " TASK_QUEUE_MAX_RESULT_BYTES wins if lower).")
  private String maxResult;

  /**
   * The options these flags give {@code module}.
   *
   * @throws InvalidInputException naming the flag that is not acceptable
   */
  ModuleOptions toOptions(TaskModule module) {
    Map<String, String> variables = variables();
    ModuleOptions.checkEnv(variables);
    OptionalInt pages =
        memoryPages == null
            ? OptionalInt.empty()
            : OptionalInt.of(parse("--memory-pages", memoryPages, PAGES));
    if (pages.isPresent() && pages.getAsInt() < module.initialPages()) {
      throw new InvalidInputException(
          "--memory-pages "
              + pages.getAsInt()
              + " is less than the "
              + module.initialPages()
              + " pages the module starts with: its tasks could never start");
    }
    return new ModuleOptions(
        variables,
        pages,
        timeout == null ? Optional.empty() : Optional.of(parse("--timeout", timeout, TIMEOUT)),
        size("--max-output", maxOutput, OUTPUT),
        size("--max-result", maxResult, RESULT));
  }

  /**
   * The {@code --env} variables by name, in the order given (a name given again takes the later
   * value); picocli's own map option said "Value for option option '--env' ... should be in
   * KEY=VALUE format" of one without '='.
   */
  private Map<String, String> variables() {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String variable : env) {
      int equals = variable.indexOf('=');
      if (equals < 0) {
        throw new InvalidInputException(
            "--env '"
                + variable
                + "' has no '=': give NAME=VALUE, such as --env GREETING=hello (an empty value is"
                + " NAME=)");
      }
      variables.put(variable.substring(0, equals), variable.substring(equals + 1));
    }
    return variables;
  }

  private static OptionalLong size(String flag, String raw, ValueType<Long> type) {
    return raw == null ? OptionalLong.empty() : OptionalLong.of(parse(flag, raw, type));
  }

  private static <T> T parse(String flag, String raw, ValueType<T> type) {
    try {
      return type.parse(raw);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidInputException(flag + " '" + raw + "': expected " + type.expected(), e);
    }
  }
}
