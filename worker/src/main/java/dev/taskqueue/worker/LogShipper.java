package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.redis.RedisStreams;
import dev.taskqueue.tasklog.LogLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the lines tasks write to their output streams in Redis ({@code {P:Q}:log:<id>}), so that
 * any machine can read them, and follow them while the task runs. One thread per worker sends
 * whatever has come since its last round trip in the next (up to {@value #BATCH} lines, or fewer
 * long ones: {@link #BATCH_CHARS}), each attempt's lines in order and together in one stream entry
 * ({@link LogLine}). A slot waits only at its attempt's end ({@link #flush}), for its last lines to
 * be in Redis before the attempt's end is recorded; a task that writes nothing costs nothing here.
 *
 * <p>Lines Redis does not take (it is out of reach) are dropped with a warning: they are still in
 * the task's log file, and the task goes on. How many lines can wait is bounded by the output cap
 * of each running attempt.
 */
final class LogShipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);

  /** Lines sent in one round trip at most. */
  static final int BATCH = 1000;

  /**
   * Characters of lines sent in one round trip at most, about: 1,000 long lines of 50 slots' tasks
   * would otherwise make one request of tens of megabytes.
   */
  static final int BATCH_CHARS = 4 << 20;

  private final RedisStreams streams;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;

  LogShipper(RedisStreams streams) {
    this.streams = streams;
    this.thread = new Thread(this::run, "log-shipper");
    thread.setDaemon(true);
    thread.start();
  }

  /** One line for the stream {@code key}. */
  private record Line(
      String key, int attempt, long leaseToken, Instant time, String stream, String text) {}

  /** One attempt's lines in the stream {@code key}: what one entry holds. */
  private record Attempt(String key, int number, long leaseToken) {}

  /**
   * Queues a line of {@code attempt}, held under {@code leaseToken}, for the stream {@code key}.
   */
  void add(String key, int attempt, long leaseToken, Instant time, String stream, String text) {
    queue.add(new Line(key, attempt, leaseToken, time, stream, text));
  }

  /** Completes once every line queued before it has been sent (or dropped). */
  CompletableFuture<Void> flush() {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    queue.add(sent);
    return sent;
  }

  private void run() {
    List<Object> items = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        items.add(queue.take());
      } catch (InterruptedException e) {
        if (closing) {
          queue.drainTo(items);
        } else {
          continue;
        }
      }
      Batches.fill(
          items, queue, BATCH, BATCH_CHARS, item -> item instanceof Line l ? l.text().length() : 0);
      send(items);
      items.clear();
    }
  }

  @SuppressWarnings("unchecked")
  private void send(List<Object> items) {
    // One entry per stream and attempt, its lines in the order they came.
    Map<Attempt, StringBuilder> blocks = new LinkedHashMap<>();
    int count = 0;
    for (Object item : items) {
      if (item instanceof Line line) {
        StringBuilder block =
            blocks.computeIfAbsent(
                new Attempt(line.key(), line.attempt(), line.leaseToken()),
                a -> new StringBuilder());
        LogLine.append(block, line.time(), line.stream(), line.text());
        count++;
      }
    }
    List<RedisStreams.Append> entries = new ArrayList<>(blocks.size());
    blocks.forEach(
        (attempt, lines) ->
            entries.add(
                new RedisStreams.Append(
                    attempt.key(), LogLine.fields(attempt.number(), attempt.leaseToken(), lines))));
    try {
      streams.appendAll(entries);
    } catch (RedisUnavailableException | IllegalStateException e) {
      LOG.warn(
          "{} lines of task output not saved in Redis (they are in the log files): {}",
          count,
          e.getMessage());
    }
    for (Object item : items) {
      if (item instanceof CompletableFuture<?> sent) {
        ((CompletableFuture<Void>) sent).complete(null);
      }
    }
  }

  /** Sends what is queued, then stops. */
  @Override
  public void close() {
    closing = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
