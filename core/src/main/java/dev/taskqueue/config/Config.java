package dev.taskqueue.config;

import dev.taskqueue.error.InvalidInputException;
import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The resolved settings of one process. Each value comes from the first of: a CLI flag, the real
 * environment, the {@code .env} file, the default. Every setting is read when the config is built,
 * so a bad value stops the program at start-up with one line naming it.
 */
public final class Config {
  /** The executables in bin/, each of which takes JVM options of its own. */
  private static final List<String> EXECUTABLES =
      List.of("worker", "scheduler", "reaper", "registry", "producer", "bench");

  /**
   * Variables with the project's prefix that launchers use, not settings: {@code TASK_QUEUE_HOME},
   * {@code TASK_QUEUE_JAVA_OPTS}, {@code TASK_QUEUE_CLASS_CACHE}, and each executable's {@code
   * TASK_QUEUE_<NAME>_JAVA_OPTS} (bin/lib/launch.sh).
   */
  static final Set<String> LAUNCHER_VARIABLES =
      Stream.concat(
              Stream.of("TASK_QUEUE_HOME", "TASK_QUEUE_JAVA_OPTS", "TASK_QUEUE_CLASS_CACHE"),
              EXECUTABLES.stream().map(Config::javaOptsOf))
          .collect(Collectors.toUnmodifiableSet());

  /** Whether {@code name} is a variable the launchers in bin/ read, which no process refuses. */
  public static boolean isLauncherVariable(String name) {
    return LAUNCHER_VARIABLES.contains(name);
  }

  /** The variable whose JVM options the launcher gives {@code executable} alone. */
  public static String javaOptsOf(String executable) {
    return "TASK_QUEUE_" + executable.toUpperCase(Locale.ROOT) + "_JAVA_OPTS";
  }

  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, String> sources;

  private Config(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
    this.values = values;
    this.sources = sources;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Only defaults and the given overrides: for tests and embedding. */
  public static Config defaults() {
    return builder().withoutEnvFile().withEnvironment(Map.of()).build();
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** Where the value of {@code setting} came from: a flag, environment, .env or default. */
  public String source(Setting<?> setting) {
    return sources.get(setting);
  }

  /** Builds a {@link Config}; the defaults read {@code ./.env} and the process environment. */
  public static final class Builder {
    private Path envFile = Path.of(".env");
    private boolean envFileRequired;
    private Map<String, String> environment = System.getenv();
    private final Map<Setting<?>, String[]> overrides = new HashMap<>();

    private Builder() {}

    /** Reads settings from {@code file}, which must exist (an explicit --env-file). */
    public Builder withEnvFile(Path file) {
      this.envFile = Objects.requireNonNull(file);
      this.envFileRequired = true;
      return this;
    }

    public Builder withoutEnvFile() {
      this.envFile = null;
      return this;
    }

    public Builder withEnvironment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /** A value given on the command line as {@code flag}; it wins over every other source. */
    public Builder withOverride(Setting<?> setting, String raw, String flag) {
      overrides.put(setting, new String[] {raw, flag});
      return this;
    }

    public Config build() {
      Map<String, String> fromFile = readEnvFile();
      rejectUnknown(fromFile, envFile + "");
      rejectUnknown(environment, "the environment");
      Map<Setting<?>, Object> values = new LinkedHashMap<>();
      Map<Setting<?>, String> sources = new LinkedHashMap<>();
      for (Setting<?> setting : Settings.ALL) {
        String raw = setting.defaultValue();
        String source = "the default";
        if (fromFile.containsKey(setting.name())) {
          raw = fromFile.get(setting.name());
          source = envFile.toString();
        }
        if (environment.containsKey(setting.name())) {
          raw = environment.get(setting.name());
          source = "the environment";
        }
        String[] override = overrides.get(setting);
        if (override != null) {
          raw = override[0];
          source = override[1];
        }
        values.put(setting, setting.parse(raw, source));
        sources.put(setting, source);
      }
      return new Config(values, sources);
    }

    private Map<String, String> readEnvFile() {
      if (envFile == null) {
        return Map.of();
      }
      if (!Files.isRegularFile(envFile)) {
        if (envFileRequired) {
          throw new InvalidInputException(
              "env file '" + envFile + "' does not exist: create it or drop --env-file");
        }
        return Map.of();
      }
      Path dir = envFile.toAbsolutePath().getParent();
      try {
        Dotenv dotenv =
            Dotenv.configure()
                .directory(dir.toString())
                .filename(envFile.getFileName().toString())
                .load();
        Map<String, String> entries = new TreeMap<>();
        for (DotenvEntry entry : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
          entries.put(entry.getKey(), entry.getValue());
        }
        return entries;
      } catch (DotenvException e) {
        // e quotes the bad line, which may hold a URL with a password; e is not kept as cause.
        throw new InvalidInputException(
            "cannot read env file '"
                + envFile
                + "': "
                + Credentials.maskIn(e.getMessage())
                + "; each line must be NAME=value (see .env.example)");
      }
    }

    /** A misspelt setting would otherwise be ignored silently and its default used. */
    private static void rejectUnknown(Map<String, String> variables, String where) {
      for (String name : new TreeMap<>(variables).keySet()) {
        boolean ours = name.startsWith("TASK_QUEUE_");
        if (ours && !isLauncherVariable(name) && !isSetting(name)) {
          throw new InvalidInputException(
              "unknown setting "
                  + name
                  + " in "
                  + where
                  + ": "
                  + SettingNames.suggest(name)
                  + " (all settings are listed in .env.example)");
        }
      }
    }

    private static boolean isSetting(String name) {
      return Settings.ALL.stream().anyMatch(s -> s.name().equals(name));
    }
  }
}
