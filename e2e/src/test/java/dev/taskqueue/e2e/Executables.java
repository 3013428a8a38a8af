package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.Checkout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real executables through their launchers in {@code bin/}, as separate processes, the way
 * a person or a deployment runs them. Each process gets a clean environment: only the settings a
 * test gives, so neither the developer's shell nor a {@code .env} file leaks in.
 */
final class Executables {
  /** The checkout root, where the launchers are. */
  static final Path ROOT = Checkout.root();

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private final Map<String, String> settings;
  private final Path workDir;

  /**
   * @param settings environment variables every process gets (REDIS_URL, TASK_QUEUE_...)
   * @param workDir the processes' working folder
   */
  Executables(Map<String, String> settings, Path workDir) {
    this.settings = Map.copyOf(settings);
    this.workDir = workDir;
  }

  /** The result of a command that ran to its end. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** Runs {@code bin/<name> args...} to its end, with standard input from {@code stdin}. */
  Result run(String name, String stdin, Map<String, String> extraEnv, String... args) {
    Path out = temp("out");
    Path err = temp("err");
    try {
      Process process =
          builder(name, extraEnv, args)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            name
                + " "
                + List.of(args)
                + " did not finish within "
                + RUN_TIMEOUT.toSeconds()
                + " s; what it printed:\n--- stdout\n"
                + Files.readString(out, StandardCharsets.UTF_8)
                + "--- stderr\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Result run(String name, String... args) {
    return run(name, "", Map.of(), args);
  }

  /**
   * {@code bin/producer submit --task TASK --payload PAYLOAD OPTIONS...}, which must succeed.
   *
   * @return the new task's id
   */
  TaskId submit(String task, String payload, String... options) {
    List<String> args = new ArrayList<>(List.of("submit", "--task", task, "--payload", payload));
    args.addAll(List.of(options));
    return TaskId.parse(
        ok(run("producer", "", Map.of(), args.toArray(String[]::new))).stdout().strip());
  }

  /** Fails the test, showing the run's output, unless it exited 0. */
  static Result ok(Result result) {
    assertEquals(0, result.exitCode(), result.toString());
    return result;
  }

  /** Starts a long-running {@code bin/<name>}; its output goes to {@code log}. */
  Process start(String name, Path log, String... args) {
    return start(name, log, Map.of(), args);
  }

  /** What a process {@link #start}ed has written to its {@code log} so far; empty before any. */
  static String logSoFar(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like {@link #start(String, Path, String...)}, with more environment variables. */
  Process start(String name, Path log, Map<String, String> extraEnv, String... args) {
    try {
      return builder(name, extraEnv, args)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ProcessBuilder builder(String name, Map<String, String> extraEnv, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin").resolve(name).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("TASK_QUEUE_") || k.equals("REDIS_URL"));
    // Options the JVM picks up print a line on stderr; the locale sets the output charset.
    env.keySet()
        .removeAll(Set.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "LC_ALL"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("LANG", "C.UTF-8");
    env.putAll(settings);
    env.putAll(extraEnv);
    return builder;
  }

  private Path temp(String suffix) {
    try {
      return Files.createTempFile(workDir, "process-", "." + suffix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts each long-running {@code bin/<name>}, its output going to {@code dir/<name>.log}; when
   * one cannot start, those already started are killed.
   */
  List<Process> startAll(Path dir, String... names) {
    List<Process> processes = new ArrayList<>();
    try {
      for (String name : names) {
        processes.add(start(name, dir.resolve(name + ".log")));
      }
    } catch (RuntimeException e) {
      processes.forEach(Process::destroyForcibly);
      throw e;
    }
    return processes;
  }

  /**
   * Sends each process SIGTERM and waits for it to end: all must exit 0 within a minute. Every one
   * is stopped before the first that did not is reported.
   */
  static void terminateAll(List<Process> processes) throws InterruptedException {
    List<Integer> exits = new ArrayList<>();
    AssertionError notStopped = null;
    for (Process process : processes) {
      try {
        exits.add(terminate(process, Duration.ofSeconds(60)));
      } catch (AssertionError e) {
        notStopped = notStopped == null ? e : notStopped;
        exits.add(null);
      }
    }
    if (notStopped != null) {
      throw notStopped;
    }
    for (int i = 0; i < exits.size(); i++) {
      assertEquals(0, exits.get(i), "exit code of process " + (i + 1) + " of " + exits.size());
    }
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit code. */
  static int terminate(Process process, Duration within) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the process did not stop within " + within + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL: what a crash, an OOM kill or a pulled plug look like. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * SIGSTOP: the process stands still, every thread of it, as in a long garbage collection or a
   * frozen VM, until {@link #thaw}.
   */
  static void freeze(Process process) throws IOException, InterruptedException {
    signal("STOP", process);
  }

  /** SIGCONT: a frozen process goes on where it stood. */
  static void thaw(Process process) throws IOException, InterruptedException {
    signal("CONT", process);
  }

  private static void signal(String signal, Process process)
      throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertEquals(0, kill.waitFor(), "kill -" + signal + " " + process.pid());
  }
}
