package dev.taskqueue.producer;

import dev.taskqueue.cli.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One in-process run of the {@code producer} CLI through {@link Cli#run}, the way {@code main} runs
 * it, with standard input, output and error swapped for buffers. Cli lives in core and prints
 * through the System streams, so those are what a test captures. The command sees an empty
 * environment unless a test gives one: the machine's {@code REDIS_URL} and {@code TASK_QUEUE_*}
 * variables never reach it.
 */
final class CliRun {
  private final int exitCode;
  private final byte[] stdout;
  private final String stderr;

  private CliRun(int exitCode, byte[] stdout, String stderr) {
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static CliRun of(ProducerCommand command, String stdin, String... args) {
    return of(command, Map.of(), stdin, args);
  }

  static CliRun of(ProducerCommand command, InputStream stdin, String... args) {
    return of(command, Map.of(), stdin, args);
  }

  /** A run whose settings come from {@code environment} (as if exported), flags and env files. */
  static CliRun of(
      ProducerCommand command, Map<String, String> environment, String stdin, String... args) {
    return of(
        command,
        environment,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        args);
  }

  static synchronized CliRun of(
      ProducerCommand command, Map<String, String> environment, InputStream stdin, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    InputStream in = System.in;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      System.setIn(stdin);
      int code = Cli.run(command, environment, args);
      System.out.flush();
      System.err.flush();
      return new CliRun(code, outBytes.toByteArray(), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
      System.setIn(in);
    }
  }

  int exitCode() {
    return exitCode;
  }

  /** Standard output as raw bytes, for binary results. */
  byte[] stdout() {
    return stdout.clone();
  }

  String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  String stderr() {
    return stderr;
  }
}
