package dev.taskqueue.worker;

import dev.taskqueue.logging.LogFields;
import dev.taskqueue.sandbox.LineOutputStream;
import dev.taskqueue.sandbox.OutputCap;
import dev.taskqueue.task.Task;
import dev.taskqueue.tasklog.LogLine;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one task attempt: what the guest writes to stdout and stderr, captured line by line,
 * each stream on its own, into {@code <dir>/<task>/<id>.log} (one line per output line: time,
 * stream, text) and, if asked, into the worker's own log with the task's fields. Attempts of one
 * task append to the same file, each opened by a header line; an attempt that writes nothing leaves
 * no line, and a task that never writes has no file.
 *
 * <p>Every line also goes to the task's output stream in Redis ({@link LogShipper}), with its time,
 * attempt and stream, for {@code producer logs} on any machine; at the attempt's end its last lines
 * are in Redis before {@link #close} returns, so before the attempt's end is recorded.
 *
 * <p>What an attempt's log keeps is capped ({@link OutputCap}, {@code
 * TASK_QUEUE_MAX_OUTPUT_BYTES}): past the cap the guest's output is dropped and counted, and the
 * attempt's part of the file ends with one line saying how many bytes were cut.
 */
final class TaskLog implements AutoCloseable {
  private static final Logger OUTPUT = LoggerFactory.getLogger("task-output");
  private static final Logger LOG = LoggerFactory.getLogger(TaskLog.class);

  /** How long an attempt's end waits for its lines to reach Redis. */
  private static final Duration SHIP_WAIT = Duration.ofSeconds(5);

  private final Clock clock;
  private final boolean mirror;
  private final Task task;
  private final String workerId;
  private final Path dir;
  private final LineOutputStream stdout;
  private final LineOutputStream stderr;
  private final OutputCap cap;
  private final LogShipper shipper;
  private final String redisKey;
  private boolean shipped;
  private String lastStderr;
  private Path path;
  private Writer file;
  private Path savedTo;
  private boolean unwritable;

  private TaskLog(
      Clock clock,
      Task task,
      String workerId,
      Path dir,
      boolean mirror,
      OutputCap cap,
      LogShipper shipper,
      String redisKey) {
    this.clock = clock;
    this.shipper = shipper;
    this.redisKey = redisKey;
    this.task = task;
    this.workerId = workerId;
    this.dir = dir;
    this.mirror = mirror;
    this.cap = cap;
    this.stdout = new LineOutputStream(line -> line("stdout", line), cap);
    this.stderr = new LineOutputStream(line -> line("stderr", line), cap);
  }

  /**
   * The log of {@code task}'s current attempt; {@code dir} null means no file. The file is made
   * when the guest writes its first line: a task that writes nothing costs no file, nor the work of
   * naming one.
   */
  static TaskLog open(
      Task task, String workerId, Path dir, boolean mirror, OutputCap cap, Clock clock) {
    return open(task, workerId, dir, mirror, cap, clock, null, null);
  }

  /**
   * Like {@link #open(Task, String, Path, boolean, OutputCap, Clock)}, each line also sent by
   * {@code shipper} to the Redis stream {@code redisKey} ({@code shipper} null: not kept in Redis).
   */
  static TaskLog open(
      Task task,
      String workerId,
      Path dir,
      boolean mirror,
      OutputCap cap,
      Clock clock,
      LogShipper shipper,
      String redisKey) {
    return new TaskLog(clock, task, workerId, dir, mirror, cap, shipper, redisKey);
  }

  /**
   * {@code <dir>/<task>/<id>.log}, or null when that would not be inside {@code dir}. Names and ids
   * read from Redis are checked when the task is read; this holds even if one got through.
   */
  private static Path file(Path dir, Task task) {
    Path root = dir.toAbsolutePath().normalize();
    Path path = root.resolve(task.name()).resolve(task.id().value() + ".log").normalize();
    if (!path.startsWith(root) || path.getParent() == null || path.getParent().equals(root)) {
      LOG.warn(
          "task {} of '{}' would log outside {}: its output is not saved",
          task.id(),
          task.name(),
          root);
      return null;
    }
    return path;
  }

  /**
   * The last line the guest wrote to stderr that was not blank (and not cut by the cap), once the
   * log is closed: what a C program prints before it aborts or exits with an error, such as an
   * assertion's message.
   */
  Optional<String> lastStderrLine() {
    return Optional.ofNullable(lastStderr);
  }

  /** Where the file is, when the attempt wrote to it. */
  Optional<String> path() {
    return Optional.ofNullable(savedTo).map(Path::toString);
  }

  LineOutputStream stdout() {
    return stdout;
  }

  LineOutputStream stderr() {
    return stderr;
  }

  private void line(String stream, String text) {
    if (stream.equals("stderr") && !text.isBlank()) {
      lastStderr = text;
    }
    write(stream, text);
    if (mirror) {
      OUTPUT.atInfo().addKeyValue(LogFields.STREAM, stream).log(text);
    }
  }

  private synchronized void write(String stream, String text) {
    ship(stream, text);
    writeLine(stream + " " + text);
  }

  private void ship(String stream, String text) {
    if (shipper != null) {
      shipper.add(redisKey, task.attempts(), task.leaseToken(), Instant.now(clock), stream, text);
      shipped = true;
    }
  }

  /** One line of the file, after its time. */
  private void writeLine(String line) {
    if (file == null && !create()) {
      return;
    }
    try {
      file.write(Instant.now(clock) + " " + line + "\n");
    } catch (IOException e) {
      LOG.warn(
          "cannot write the task's log file {}: {}; the rest is not saved", path, e.toString());
      closeQuietly();
      unwritable = true;
    }
  }

  /** Opens the file, headed by the attempt's line; false when there is none to write to. */
  private boolean create() {
    if (unwritable || dir == null) {
      return false;
    }
    path = file(dir, task);
    if (path == null) {
      unwritable = true;
      return false;
    }
    try {
      Files.createDirectories(path.getParent());
      // Not a FileChannel: an interrupt (the task's timeout) must not close the log under it.
      file =
          new BufferedWriter(
              new OutputStreamWriter(
                  new FileOutputStream(path.toFile(), true), StandardCharsets.UTF_8));
      savedTo = path;
      file.write(
          Instant.now(clock)
              + " task attempt "
              + task.attempts()
              + " of "
              + task.name()
              + " "
              + task.id()
              + " on "
              + workerId
              + "\n");
      return true;
    } catch (IOException e) {
      LOG.warn(
          "cannot write the task's log file {}: {}; its output is not saved", path, e.toString());
      closeQuietly();
      unwritable = true;
      return false;
    }
  }

  /** Hands over any last unterminated lines, says what the cap cut, and closes the file. */
  @Override
  public void close() {
    stdout.close();
    stderr.close();
    synchronized (this) {
      long cut = cap.cutBytes();
      if (cut > 0) {
        String line =
            "task output cut: "
                + cut
                + " bytes past the attempt's cap of "
                + cap.maxBytes()
                + " bytes ("
                + cap.source()
                + ")";
        writeLine(line);
        ship(LogLine.TASK, line.substring("task ".length()));
        LOG.atWarn().addKeyValue(LogFields.EVENT, "task.output_cut").log(line);
      }
      closeQuietly();
    }
    if (shipped) {
      awaitShipped();
    }
  }

  /** The attempt's lines are in Redis before its end is recorded, or given up after a while. */
  private void awaitShipped() {
    try {
      shipper.flush().get(SHIP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.warn("the task's last lines may not be in Redis yet: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeQuietly() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        LOG.warn("cannot close the task's log file {}: {}", path, e.toString());
      }
      file = null;
    }
  }
}
