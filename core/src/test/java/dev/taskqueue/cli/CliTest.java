package dev.taskqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.DuplicateOptionAnnotationsException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@link Cli} on a command tree of its own: where settings come from, when a stack trace is shown,
 * and that nothing it prints about an error shows a password.
 */
class CliTest {
  private static final String URL = "redis://admin:Zq7secret@127.0.0.1:99999/0";

  @TempDir Path dir;
  private Path emptyEnvFile;

  @BeforeEach
  void setUp() throws IOException {
    emptyEnvFile = Files.writeString(dir.resolve("empty.env"), "");
  }

  /** {@code tool}: a parent with two subcommands, as the executables have. */
  @Command(
      name = "tool",
      subcommands = {Show.class, Mixed.class})
  static final class Tool {
    final List<Config> seen = new ArrayList<>();
  }

  /** {@code tool show [WORD]}: resolves its settings; fails on a word, as bad input would. */
  @Command(name = "show")
  static final class Show implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand Tool tool;
    @Mixin CommonOptions common;

    @Parameters(arity = "0..1")
    String word;

    @Override
    public Integer call() {
      tool.seen.add(common.configBuilder().build());
      if (word == null) {
        return 0;
      }
      if (word.equals("boom")) {
        throw new IllegalStateException("boom at " + URL);
      }
      throw new InvalidInputException("bad word '" + word + "'");
    }
  }

  /** A mixin that itself mixes in the common options, as a shared option group would. */
  static final class Group {
    @Mixin CommonOptions common;
  }

  /** {@code tool mixed}: reaches {@link CommonOptions} only through {@link Group}. */
  @Command(name = "mixed")
  static final class Mixed implements Callable<Integer> {
    @picocli.CommandLine.ParentCommand Tool tool;
    @Mixin Group group;

    @Override
    public Integer call() {
      tool.seen.add(group.common.configBuilder().build());
      return 0;
    }
  }

  @Test
  void everyCommonOptionsInTheTreeReadsTheGivenEnvironment() {
    for (String command : new String[] {"show", "mixed"}) {
      Tool tool = new Tool();
      Run run =
          run(
              tool,
              Map.of("TASK_QUEUE_KEY_PREFIX", "fromenv"),
              command,
              "--env-file",
              emptyEnvFile.toString());

      assertEquals(0, run.code, run.err);
      assertEquals("fromenv", tool.seen.get(0).get(Settings.KEY_PREFIX), command);
      assertEquals("the environment", tool.seen.get(0).source(Settings.KEY_PREFIX), command);
    }
  }

  @Test
  void theGivenEnvironmentIsTheOnlyOne() {
    Run clean = run(new Tool(), Map.of(), "show", "--env-file", emptyEnvFile.toString());
    Run hostile =
        run(
            new Tool(),
            Map.of("TASK_QUEUE_BOGUS", "1"),
            "show",
            "--env-file",
            emptyEnvFile.toString());

    assertEquals(0, clean.code, clean.err);
    assertEquals(2, hostile.code);
    assertTrue(hostile.err.startsWith("tool show: unknown setting TASK_QUEUE_BOGUS"), hostile.err);
  }

  @Test
  void verboseIsTheParsedOptionNotAnArgumentSpeltSo() {
    Run quiet =
        run(new Tool(), Map.of(), "show", "--env-file", emptyEnvFile.toString(), "--", "--verbose");
    Run verbose =
        run(new Tool(), Map.of(), "show", "--env-file", emptyEnvFile.toString(), "--verbose", "x");

    assertEquals(2, quiet.code);
    assertEquals("tool show: bad word '--verbose'\n", quiet.err);
    assertEquals(2, verbose.code);
    assertTrue(verbose.err.startsWith("tool show: bad word 'x'\n"), verbose.err);
    assertTrue(verbose.err.contains("\tat dev.taskqueue.cli.CliTest$Show.call("), verbose.err);
  }

  @Test
  void noErrorLineOrStackTraceShowsAPassword() {
    List<Run> runs =
        List.of(
            run(
                new Tool(),
                Map.of("REDIS_URL", URL),
                "show",
                "--env-file",
                emptyEnvFile.toString(),
                "--verbose"),
            run(
                new Tool(),
                Map.of(),
                "show",
                "--redis-url",
                URL,
                "--env-file",
                emptyEnvFile.toString(),
                "--verbose",
                "--log-level",
                "trace"),
            run(
                new Tool(),
                Map.of(),
                "show",
                "--env-file",
                emptyEnvFile.toString(),
                "--verbose",
                "boom"),
            run(new Tool(), Map.of(), "show", URL, URL));

    assertEquals(
        "tool show: invalid REDIS_URL='redis://admin:***@127.0.0.1:99999/0' from the environment"
            + " (port 99999 is outside 1-65535): expected"
            + " redis://[user:password@]host[:port][/db] for one server,"
            + " redis-cluster://[user:password@]host[:port][,host[:port]...] for a cluster or"
            + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master through"
            + " Sentinel; rediss://, rediss-cluster://, rediss-sentinel:// for TLS",
        runs.get(0).err.lines().findFirst().orElseThrow());
    assertTrue(runs.get(1).err.contains("from --redis-url"), runs.get(1).err);
    assertTrue(
        runs.get(2)
            .err
            .startsWith(
                "tool show: internal error: java.lang.IllegalStateException: boom at"
                    + " redis://admin:***@127.0.0.1:99999/0"),
        runs.get(2).err);
    assertTrue(runs.get(3).err.startsWith("tool show: Unmatched argument"), runs.get(3).err);
    for (Run run : runs) {
      assertFalse(run.err.contains("Zq7") || run.out.contains("Zq7"), run.err);
      assertTrue(run.err.contains("redis://admin:***@127.0.0.1:99999/0"), run.err);
    }
    assertTrue(runs.get(0).err.contains("\tat "), "the trace is there, masked: " + runs.get(0).err);
  }

  @Test
  void aMistypedNameGetsAHintOnlyWhenANameIsCloseToIt() {
    Run swapped = run(new Tool(), Map.of(), "shwo");
    Run option = run(new Tool(), Map.of(), "show", "--verbos");
    Run far = run(new Tool(), Map.of(), "mixture");

    assertEquals(2, swapped.code);
    assertEquals(
        "tool: Unmatched argument at index 0: 'shwo'; did you mean 'show'? (see 'tool --help')\n",
        swapped.err);
    assertTrue(option.err.contains("; did you mean '--verbose'? (see"), option.err);
    // picocli offers 'mixed' for 'mixture' (shared letters); three edits away, it is not shown.
    assertEquals("tool: Unmatched argument at index 0: 'mixture' (see 'tool --help')\n", far.err);
  }

  @Test
  void aGroupBuildsOnlyTheSubcommandItsFirstArgumentNames() {
    // Broken's model cannot be built: a run that built it would fail.
    Run first = run(new Trio(), Map.of(), "first");
    Run second = run(new Trio(), Map.of(), "2nd");

    assertEquals(List.of(0, "first ran\n"), List.of(first.code, first.out), first.err);
    assertEquals(List.of(0, "second ran\n"), List.of(second.code, second.out), second.err);
  }

  @Test
  void aGroupBuildsThemAllForHelpAndForANameItDoesNotKnow() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"secnd"}, new String[0])) {
      assertThrows(
          DuplicateOptionAnnotationsException.class,
          () -> run(new Trio(), Map.of(), args),
          List.of(args).toString());
    }
  }

  /** A group of three, one of which picocli cannot build. */
  @Command(name = "trio", mixinStandardHelpOptions = true)
  static final class Trio implements CommandGroup {
    @Override
    public List<Class<?>> subcommands() {
      return List.of(First.class, Second.class, Broken.class);
    }
  }

  @Command(name = "first")
  static final class First implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println("first ran");
      return 0;
    }
  }

  @Command(name = "second", aliases = "2nd")
  static final class Second implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.println("second ran");
      return 0;
    }
  }

  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Option(names = "--twice")
    int once;

    @Option(names = "--twice")
    int again;

    @Override
    public Integer call() {
      return once + again;
    }
  }

  private record Run(int code, String out, String err) {}

  private static synchronized Run run(
      Object command, Map<String, String> environment, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int code = Cli.run(command, environment, args);
      return new Run(
          code,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
