package dev.taskqueue.producer;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.config.Settings;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the CLI against a test's Redis and prefix. Settings reach it as flags and an env file of the
 * test's own, never from the machine: the command sees an empty environment ({@link CliRun}) and
 * not {@code ./.env}. Its clients share the test's connection (honouring the prefix the flags name)
 * and its clock, so runs take milliseconds and times are known.
 */
final class CliFixture {
  final Fixture f;
  final Path envFile;

  /** The settings of the last command that connected, to see where each came from. */
  Config lastConfig;

  CliFixture(TestRedis redis, Path dir, String... envLines) {
    this.f = new Fixture(redis);
    this.envFile = dir.resolve("test.env");
    try {
      Files.write(envFile, Arrays.asList(envLines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A command whose clients use the shared connection under the prefix its settings name, and whose
   * checks before connecting read the fixture's clock too.
   */
  ProducerCommand command() {
    return new ProducerCommand(
        config -> {
          lastConfig = config;
          return TaskClient.builder(config)
              .withClock(f.clock)
              .withSession(TestSessions.open(f.redis, config.get(Settings.KEY_PREFIX)))
              .build();
        },
        f.clock);
  }

  /** How an error of something not found in Redis ends: the Redis it was looked for in. */
  String lookedIn() {
    return " (looked in Redis at " + RedisUrl.parse(f.redis.url()) + ")";
  }

  /** Runs {@code args} followed by this test's --redis-url, --key-prefix and --env-file. */
  CliRun run(String stdin, String... args) {
    return CliRun.of(command(), stdin, withSettings(args));
  }

  CliRun run(InputStream stdin, String... args) {
    return CliRun.of(command(), stdin, withSettings(args));
  }

  /** As {@link #run(String, String...)}, with {@code environment} as the process environment. */
  CliRun runIn(Map<String, String> environment, String stdin, String... args) {
    return CliRun.of(command(), environment, stdin, withSettings(args));
  }

  /** {@code args} followed by this test's --env-file only: Redis and prefix as {@code args} say. */
  String[] withEnvFile(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--env-file", envFile.toString()));
    return all.toArray(String[]::new);
  }

  String[] withSettings(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--redis-url",
            f.redis.url(),
            "--key-prefix",
            f.redis.prefix(),
            "--env-file",
            envFile.toString()));
    return all.toArray(String[]::new);
  }
}
