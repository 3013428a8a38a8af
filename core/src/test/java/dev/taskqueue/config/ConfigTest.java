package dev.taskqueue.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Config config = Config.defaults();

    assertEquals(4, config.get(Settings.WORKER_CONCURRENCY));
    assertEquals(List.of("default"), config.get(Settings.QUEUES));
    assertEquals(Duration.ofSeconds(30), config.get(Settings.DEFAULT_TIMEOUT));
    assertEquals(1L << 20, config.get(Settings.MAX_PAYLOAD_BYTES));
    assertEquals("redis://127.0.0.1:6379/0", config.get(Settings.REDIS_URL).toString());
    assertEquals("the default", config.source(Settings.WORKER_CONCURRENCY));
  }

  @Test
  void envFileThenEnvironmentThenFlagEachWin() throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(
        env,
        """
        # comment
        TASK_QUEUE_WORKER_CONCURRENCY=2
        TASK_QUEUE_LOG_LEVEL=debug
        TASK_QUEUE_QUEUES=critical, default
        TASK_QUEUE_KEY_PREFIX="fromfile"
        """);

    Config config =
        Config.builder()
            .withEnvFile(env)
            .withEnvironment(
                Map.of("TASK_QUEUE_LOG_LEVEL", "warn", "TASK_QUEUE_KEY_PREFIX", "fromenv"))
            .withOverride(Settings.KEY_PREFIX, "fromflag", "--key-prefix")
            .build();

    assertEquals(2, config.get(Settings.WORKER_CONCURRENCY));
    assertEquals(env.toString(), config.source(Settings.WORKER_CONCURRENCY));
    assertEquals(List.of("critical", "default"), config.get(Settings.QUEUES));
    assertEquals("warn", config.get(Settings.LOG_LEVEL));
    assertEquals("the environment", config.source(Settings.LOG_LEVEL));
    assertEquals("fromflag", config.get(Settings.KEY_PREFIX));
    assertEquals("--key-prefix", config.source(Settings.KEY_PREFIX));
  }

  @Test
  void anInvalidValueNamesTheSettingTheValueItsSourceAndWhatIsAllowed() {
    InvalidInputException error = refused(Map.of("TASK_QUEUE_WORKER_CONCURRENCY", "lots"));

    assertEquals(ExitCode.INVALID_INPUT, error.exitCode());
    assertEquals(
        "invalid TASK_QUEUE_WORKER_CONCURRENCY='lots' from the environment (not a whole number):"
            + " expected a whole number from 1 to 1024",
        error.getMessage());
  }

  @Test
  void aBadQueueListNamesTheNameAtFaultOrTheEmptyOne() {
    String rule =
        ": expected a comma-separated list of queue names (letters, digits, '_', '.', '-'; at"
            + " most 64)";

    assertEquals(
        "invalid TASK_QUEUE_QUEUES='ok, {bad}' from the environment ('{bad}' is not a valid name)"
            + rule,
        refused(Map.of("TASK_QUEUE_QUEUES", "ok, {bad}")).getMessage());
    assertEquals(
        "invalid TASK_QUEUE_QUEUES='a,,b' from the environment (a name is empty: two commas in a"
            + " row, or one at an end)"
            + rule,
        refused(Map.of("TASK_QUEUE_QUEUES", "a,,b")).getMessage());
    assertEquals(
        "invalid TASK_QUEUE_QUEUES=' ' from the environment (empty)" + rule,
        refused(Map.of("TASK_QUEUE_QUEUES", " ")).getMessage());
    assertEquals(
        "invalid TASK_QUEUE_QUEUES='a, b,a' from the environment ('a' is named twice)" + rule,
        refused(Map.of("TASK_QUEUE_QUEUES", "a, b,a")).getMessage());
    assertEquals(
        List.of("b", "a"),
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of("TASK_QUEUE_QUEUES", " b, a "))
            .build()
            .get(Settings.QUEUES));
  }

  @Test
  void aBadUrlIsShownWithItsPasswordMaskedAndNoCause() {
    InvalidInputException error =
        refused(Map.of("REDIS_URL", "redis://admin:secret@127.0.0.1:99999/0"));

    assertEquals(
        "invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0' from the environment (port 99999"
            + " is outside 1-65535): expected"
            + " redis://[user:password@]host[:port][/db] for one server,"
            + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
            + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master through"
            + " Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS",
        error.getMessage());
    assertEquals(null, error.getCause());
    assertEquals(true, Settings.REDIS_URL.carriesCredentials());
    assertEquals(false, Settings.KEY_PREFIX.carriesCredentials());
  }

  @Test
  void aMalformedEnvFileLineIsQuotedWithItsPasswordMasked() throws Exception {
    Path env = dir.resolve("bad.env");
    Files.writeString(env, "REDIS_URL redis://admin:secret@host/0\n");

    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> Config.builder().withEnvFile(env).withEnvironment(Map.of()).build());

    assertEquals(false, error.getMessage().contains("secret"), error.getMessage());
    assertEquals(true, error.getMessage().contains("redis://admin:***@host/0"), error.getMessage());
  }

  @Test
  void badValuesOfEachKindAreRejected() {
    Map<String, String> bad =
        Map.of(
            "REDIS_URL", "http://localhost",
            "TASK_QUEUE_LOG_FORMAT", "xml",
            "TASK_QUEUE_SAVE_WASM_LOGS", "maybe",
            "TASK_QUEUE_SHUTDOWN_GRACE", "10 minutes",
            "TASK_QUEUE_MAX_PAYLOAD_BYTES", "1TB",
            "TASK_QUEUE_MAX_MEMORY_PAGES", "70000",
            "TASK_QUEUE_QUEUES", "ok,{bad}",
            "TASK_QUEUE_KEY_PREFIX", "a:b");
    bad.forEach(
        (name, value) -> {
          InvalidInputException error = refused(Map.of(name, value));
          assertEquals(
              true,
              error.getMessage().startsWith("invalid " + name + "='" + value + "' from"),
              error.getMessage());
        });
  }

  @Test
  void theLaunchersVariablesAreNoSettingsAndNotRefused() {
    // bin/lib/launch.sh and class-cache.sh read them; the JVM they start sees them too.
    Config config =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(
                Map.of(
                    "TASK_QUEUE_HOME", "/opt/task-queue",
                    "TASK_QUEUE_JAVA_OPTS", "-Xmx1g",
                    "TASK_QUEUE_CLASS_CACHE", "off"))
            .build();

    assertEquals(Config.defaults().get(Settings.REDIS_URL), config.get(Settings.REDIS_URL));
  }

  @Test
  void aMisspeltSettingIsRejectedWithASuggestion() {
    InvalidInputException error = refused(Map.of("TASK_QUEUE_WORKER_CONCURENCY", "8"));

    assertEquals(
        "unknown setting TASK_QUEUE_WORKER_CONCURENCY in the environment: did you mean"
            + " TASK_QUEUE_WORKER_CONCURRENCY? (all settings are listed in .env.example)",
        error.getMessage());
  }

  @Test
  void aNameShortOfASettingsWordsSuggestsTheSettingsThatHaveThem() {
    assertEquals(
        "unknown setting TASK_QUEUE_CONCURRENCY in the environment: did you mean"
            + " TASK_QUEUE_WORKER_CONCURRENCY? (all settings are listed in .env.example)",
        refused(Map.of("TASK_QUEUE_CONCURRENCY", "8")).getMessage());
    assertEquals(
        "unknown setting TASK_QUEUE_TIMEOUT in the environment: did you mean"
            + " TASK_QUEUE_MAX_TIMEOUT, TASK_QUEUE_REDIS_TIMEOUT or TASK_QUEUE_DEFAULT_TIMEOUT?"
            + " (all settings are listed in .env.example)",
        refused(Map.of("TASK_QUEUE_TIMEOUT", "5s")).getMessage());
    assertEquals(
        "unknown setting TASK_QUEUE_REDIS_URL in the environment: did you mean REDIS_URL?"
            + " (all settings are listed in .env.example)",
        refused(Map.of("TASK_QUEUE_REDIS_URL", "redis://127.0.0.1:6379")).getMessage());
    assertEquals(
        "unknown setting TASK_QUEUE_FLUX_CAPACITOR in the environment: no such setting"
            + " (all settings are listed in .env.example)",
        refused(Map.of("TASK_QUEUE_FLUX_CAPACITOR", "on")).getMessage());
  }

  @Test
  void eachExecutablesJavaOptsAreTheLaunchersAndAMisspeltOneIsRejectedWithASuggestion() {
    for (String executable :
        List.of("worker", "scheduler", "reaper", "registry", "producer", "bench")) {
      String name = Config.javaOptsOf(executable);
      assertTrue(Config.isLauncherVariable(name), name);
      Config.builder().withoutEnvFile().withEnvironment(Map.of(name, "-Xmx1g")).build();
    }

    InvalidInputException error = refused(Map.of("TASK_QUEUE_WROKER_JAVA_OPTS", "-Xmx1g"));

    assertEquals(
        "unknown setting TASK_QUEUE_WROKER_JAVA_OPTS in the environment: did you mean"
            + " TASK_QUEUE_WORKER_JAVA_OPTS? (all settings are listed in .env.example)",
        error.getMessage());
  }

  @Test
  void aMissingExplicitEnvFileIsAnError() {
    Path missing = dir.resolve("nope.env");

    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> Config.builder().withEnvFile(missing).withEnvironment(Map.of()).build());

    assertEquals(
        "env file '" + missing + "' does not exist: create it or drop --env-file",
        error.getMessage());
  }

  @Test
  void aMalformedEnvFileIsAnError() throws Exception {
    Path env = dir.resolve("bad.env");
    Files.writeString(env, "REDIS_URL=redis://localhost\nthis line is no setting\n");

    InvalidInputException error =
        assertThrows(
            InvalidInputException.class,
            () -> Config.builder().withEnvFile(env).withEnvironment(Map.of()).build());

    assertEquals(true, error.getMessage().startsWith("cannot read env file '" + env + "'"));
  }

  /** What building a config from {@code environment} alone refuses it with. */
  private static InvalidInputException refused(Map<String, String> environment) {
    return assertThrows(
        InvalidInputException.class,
        () -> Config.builder().withoutEnvFile().withEnvironment(environment).build(),
        environment.toString());
  }
}
