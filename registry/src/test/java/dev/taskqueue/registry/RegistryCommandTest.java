package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.logging.Logging;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parent command: help, version, completion and what happens without a subcommand; and what
 * every subcommand shares: where settings come from, {@code --verbose}, and that no password is
 * ever printed.
 */
@ExtendWith(RedisExtension.class)
class RegistryCommandTest {
  /** A password with '@', ':' and, in URLs, percent-escapes; no part of it may ever be printed. */
  private static final String SECRET = "Zq7-s3cret@pw:x";

  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";

  @TempDir Path dir;

  @Test
  void withoutACommandSaysWhichThereAre() {
    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry: name a command: upload, list, show, rm or generate-completion (see"
                + " 'registry --help')\n"),
        RegistryCli.runBare());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    RegistryCli.Run run = RegistryCli.runBare("publish", "x.wasm");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("registry: Unmatched argument"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String command : new String[] {"upload", "list", "show", "rm"}) {
      RegistryCli.Run help = RegistryCli.runBare(command, "--help");
      RegistryCli.Run version = RegistryCli.runBare(command, "--version");

      assertEquals(0, help.exitCode(), command);
      assertTrue(help.out().startsWith("Usage: registry " + command), help.out());
      assertTrue(help.out().contains("--redis-url=URL"), help.out());
      assertEquals(0, version.exitCode(), command);
      assertTrue(version.out().startsWith("task-queue "), version.out());
    }
    assertTrue(RegistryCli.runBare("--help").out().contains("generate-completion"));
  }

  @Test
  void generatesACompletionScript() {
    RegistryCli.Run run = RegistryCli.runBare("generate-completion");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("complete -F _complete_registry"), run.out());
  }

  @Test
  void settingsComeFromTheFixtureNeverFromTheMachine(TestRedis redis) {
    RegistryCli cli = RegistryCli.of(redis, dir);
    String down = "redis://127.0.0.1:" + RedisServer.unusedPort() + "/0";

    RegistryCli.Run immune = cli.run("list");
    // The same runs, had these been exported on the machine:
    RegistryCli.Run bogus = cli.runIn(Map.of("TASK_QUEUE_BOGUS", "1"), "list");
    RegistryCli.Run small =
        cli.runIn(
            Map.of("TASK_QUEUE_MAX_MODULE_BYTES", "8"),
            "upload",
            Modules.sampleFile(dir, "greeter.wasm").toString());
    RegistryCli.Run elsewhere =
        RegistryCli.runBare(Map.of("REDIS_URL", down), cli.withEnvFile("list"));

    assertEquals(0, immune.exitCode(), immune.err());
    assertEquals(2, bogus.exitCode());
    assertTrue(bogus.err().startsWith("registry list: unknown setting TASK_QUEUE_BOGUS"));
    assertEquals(2, small.exitCode());
    assertTrue(small.err().contains("TASK_QUEUE_MAX_MODULE_BYTES"), small.err());
    assertEquals(3, elsewhere.exitCode());
    assertTrue(elsewhere.err().contains("cannot connect to Redis at " + down), elsewhere.err());
  }

  @Test
  void onlyTheVerboseOptionShowsAStackTraceNotAValueSpeltSo(TestRedis redis) {
    RegistryCli cli = RegistryCli.of(redis, dir);
    List<String> value = new ArrayList<>(List.of(cli.withSettings("show")));
    value.addAll(List.of("--", "--verbose"));

    RegistryCli.Run quiet = RegistryCli.runBare(value.toArray(String[]::new));
    RegistryCli.Run verbose = cli.run("show", "--verbose", "Bad Name");

    assertEquals(2, quiet.exitCode());
    assertEquals(1, quiet.err().lines().count(), quiet.err());
    assertTrue(quiet.err().contains("'--verbose'"), quiet.err());
    assertEquals(2, verbose.exitCode());
    assertTrue(verbose.err().contains("\tat dev.taskqueue."), verbose.err());
  }

  @Test
  void noPasswordIsEverPrinted(TestRedis redis) {
    String malformed = "redis://admin:" + SECRET_IN_URL + "@127.0.0.1:99999/0";
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      RegistryCli wrong = RegistryCli.at(server.url("admin:Wr0ng-" + SECRET_IN_URL), "p", dir);
      RegistryCli right = RegistryCli.at(server.url(":" + SECRET_IN_URL), redis.prefix(), dir);
      List<RegistryCli.Run> bad =
          List.of(
              RegistryCli.runBare(Map.of("REDIS_URL", malformed), right.withEnvFile("list")),
              RegistryCli.runBare(
                  Map.of("REDIS_URL", malformed),
                  right.withEnvFile("list", "--verbose", "--log-level", "trace")),
              wrong.run("list", "--verbose"));
      RegistryCli.Run traced = right.run("list", "--verbose", "--log-level", "trace");

      assertEquals(2, bad.get(0).exitCode(), bad.get(0).err());
      assertEquals(
          "registry list: invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0' from the"
              + " environment (port 99999 is outside 1-65535): expected"
              + " redis://[user:password@]host[:port][/db] for one server,"
              + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
              + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master through"
              + " Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS\n",
          bad.get(0).err());
      assertEquals(2, bad.get(1).exitCode(), bad.get(1).err());
      assertTrue(bad.get(1).err().contains("\tat dev.taskqueue."), bad.get(1).err());
      assertEquals(3, bad.get(2).exitCode(), bad.get(2).err());
      assertTrue(
          bad.get(2)
              .err()
              .startsWith(
                  "registry list: cannot connect to Redis at redis://admin:***@127.0.0.1:"
                      + server.port()
                      + "/0 (WRONGPASS invalid username-password pair or user is disabled.):"
                      + " check the user name and password in REDIS_URL\n"),
          bad.get(2).err());
      assertEquals(0, traced.exitCode(), traced.err());
      // Redisson at its most verbose logs each command it sends (at DEBUG in this version).
      assertTrue(traced.err().contains("for command: ("), traced.err());
      for (RegistryCli.Run run : List.of(bad.get(0), bad.get(1), bad.get(2), traced)) {
        for (String form : new String[] {"Zq7", SECRET, SECRET_IN_URL}) {
          assertFalse(run.out().contains(form), "'" + form + "' on stdout:\n" + run.out());
          assertFalse(run.err().contains(form), "'" + form + "' on stderr:\n" + run.err());
        }
      }
    } finally {
      Logging.configure("warn", "pretty", Logging.Target.STDERR);
    }
  }
}
