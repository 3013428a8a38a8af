package dev.taskqueue.cli;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.logging.Logging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Flags every command takes. Each overrides the setting of the same meaning from the environment or
 * {@code .env}; {@link #config()} resolves them all and configures logging. The environment is the
 * process's unless {@link Cli#run(Object, Map, String...)} gives another.
 */
public final class CommonOptions {
  private Map<String, String> environment = System.getenv();

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description = "Redis to use (overrides REDIS_URL).")
  String redisUrl;

  @Option(
      names = "--key-prefix",
      paramLabel = "PREFIX",
      description = "Prefix of every Redis key (overrides TASK_QUEUE_KEY_PREFIX).")
  String keyPrefix;

  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Settings file to read instead of ./.env.")
  Path envFile;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "trace, debug, info, warn or error (overrides TASK_QUEUE_LOG_LEVEL).")
  String logLevel;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "pretty or json (overrides TASK_QUEUE_LOG_FORMAT).")
  String logFormat;

  @Option(names = "--verbose", description = "On an error, print its stack trace too.")
  boolean verbose;

  /** A builder holding this command's flags; commands add their own before building. */
  public Config.Builder configBuilder() {
    Config.Builder builder = Config.builder().withEnvironment(environment);
    if (envFile != null) {
      builder.withEnvFile(envFile);
    }
    override(builder, Settings.REDIS_URL, redisUrl, "--redis-url");
    override(builder, Settings.KEY_PREFIX, keyPrefix, "--key-prefix");
    override(builder, Settings.LOG_LEVEL, logLevel, "--log-level");
    override(builder, Settings.LOG_FORMAT, logFormat, "--log-format");
    return builder;
  }

  /** Resolves the settings and configures logging for a CLI (log lines go to stderr). */
  public Config config() {
    return configure(configBuilder().build(), Logging.Target.STDERR);
  }

  /** Configures logging from {@code config} and returns it. */
  public static Config configure(Config config, Logging.Target target) {
    Logging.configure(config.get(Settings.LOG_LEVEL), config.get(Settings.LOG_FORMAT), target);
    return config;
  }

  /** Every instance mixed into {@code spec}, its mixins' mixins and its subcommands. */
  static List<CommonOptions> inTree(CommandSpec spec) {
    List<CommonOptions> found = new ArrayList<>(of(spec));
    spec.subcommands().values().forEach(sub -> found.addAll(inTree(sub.getCommandSpec())));
    return found;
  }

  /** The instances mixed into {@code spec} itself (usually one; none for a parent command). */
  static List<CommonOptions> of(CommandSpec spec) {
    List<CommonOptions> found = new ArrayList<>();
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof CommonOptions options) {
        found.add(options);
      }
      found.addAll(of(mixin));
    }
    return found;
  }

  /** Settings are read from {@code environment} instead of the process environment. */
  void useEnvironment(Map<String, String> environment) {
    this.environment = Objects.requireNonNull(environment);
  }

  /** Adds a flag's value, if given, as an override of {@code setting}. */
  public static void override(
      Config.Builder builder, dev.taskqueue.config.Setting<?> setting, Object value, String flag) {
    if (value != null) {
      builder.withOverride(setting, value.toString(), flag);
    }
  }
}
