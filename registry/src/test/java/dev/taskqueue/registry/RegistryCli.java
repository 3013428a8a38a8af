package dev.taskqueue.registry;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.testing.TestRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the registry CLI in this JVM, as {@link RegistryMain} would, with standard output and error
 * captured and the settings given by flags: the test's Redis, its key prefix, and an env file of
 * its own, so neither the machine's {@code .env} nor its Redis is used. The command sees an empty
 * environment unless a test gives one, so the machine's {@code REDIS_URL} and {@code TASK_QUEUE_*}
 * variables never reach it.
 */
final class RegistryCli {
  private final String redisUrl;
  private final String prefix;
  private final Path envFile;

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {}

  private RegistryCli(String redisUrl, String prefix, Path envFile) {
    this.redisUrl = redisUrl;
    this.prefix = prefix;
    this.envFile = envFile;
  }

  /** A CLI for the test's Redis, reading settings from {@code dir/registry.env} ({@code lines}). */
  static RegistryCli of(TestRedis redis, Path dir, String... lines) {
    return at(redis.url(), redis.prefix(), dir, lines);
  }

  static RegistryCli at(String redisUrl, String prefix, Path dir, String... lines) {
    Path envFile = dir.resolve("registry.env");
    try {
      Files.write(envFile, List.of(lines));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new RegistryCli(redisUrl, prefix, envFile);
  }

  /** How an error of something not found in Redis ends: the Redis it was looked for in. */
  String lookedIn() {
    return " (looked in Redis at " + RedisUrl.parse(redisUrl) + ")";
  }

  /** Runs {@code registry <args> --redis-url ... --key-prefix ... --env-file ...}. */
  Run run(String... args) {
    return runIn(Map.of(), args);
  }

  /** As {@link #run}, with {@code environment} as the process environment. */
  Run runIn(Map<String, String> environment, String... args) {
    return runBare(environment, withSettings(args));
  }

  /** {@code args} followed by this CLI's --redis-url, --key-prefix and --env-file. */
  String[] withSettings(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--redis-url", redisUrl, "--key-prefix", prefix, "--env-file", envFile.toString()));
    return all.toArray(String[]::new);
  }

  /** {@code args} followed by this CLI's --env-file only. */
  String[] withEnvFile(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--env-file", envFile.toString()));
    return all.toArray(String[]::new);
  }

  /**
   * Runs {@code registry <args>} exactly as given, in an empty environment. Without {@code
   * --env-file} a command reads {@code ./.env}: use it for runs that read no settings.
   */
  static Run runBare(String... args) {
    return runBare(Map.of(), args);
  }

  /** Runs {@code registry <args>} exactly as given, with {@code environment}. */
  static Run runBare(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exitCode;
    try {
      exitCode = Cli.run(new RegistryCommand(), environment, args);
    } finally {
      System.out.flush();
      System.err.flush();
      System.setOut(stdout);
      System.setErr(stderr);
    }
    return new Run(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
