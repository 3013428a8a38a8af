package dev.taskqueue.producer;

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

/**
 * Runs the CLI against a test's Redis and prefix. Settings reach it as flags and an env file, not
 * through the real environment. Its clients share the test's connection (honouring the prefix the
 * flags name) and its clock, so runs take milliseconds and times are known.
 */
final class CliFixture {
  final Fixture f;
  final Path envFile;

  CliFixture(TestRedis redis, Path dir, String... envLines) {
    this.f = new Fixture(redis);
    this.envFile = dir.resolve("test.env");
    try {
      Files.write(envFile, Arrays.asList(envLines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command whose clients use the shared connection under the prefix its settings name. */
  ProducerCommand command() {
    return new ProducerCommand(
        config ->
            TaskClient.builder(config)
                .withClock(f.clock)
                .withSession(TestSessions.open(f.redis, config.get(Settings.KEY_PREFIX)))
                .build());
  }

  /** Runs {@code args} followed by this test's --redis-url, --key-prefix and --env-file. */
  CliRun run(String stdin, String... args) {
    return CliRun.of(command(), stdin, withSettings(args));
  }

  CliRun run(InputStream stdin, String... args) {
    return CliRun.of(command(), stdin, withSettings(args));
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
