package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.redis.RedisStreams;
import java.util.ArrayList;
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
 * whatever has come since its last round trip in the next (up to {@value #BATCH} lines), in order.
 * A slot waits only at its attempt's end ({@link #flush}), for its last lines to be in Redis before
 * the attempt's end is recorded; a task that writes nothing costs nothing here.
 *
 * <p>Lines Redis does not take (it is out of reach) are dropped with a warning: they are still in
 * the task's log file, and the task goes on. How many lines can wait is bounded by the output cap
 * of each running attempt.
 */
final class LogShipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);

  /** Lines sent in one round trip at most. */
  static final int BATCH = 1000;

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

  /** Queues a line for the stream {@code key}. */
  void add(String key, Map<String, String> fields) {
    queue.add(new RedisStreams.Append(key, fields));
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
      queue.drainTo(items, BATCH - 1);
      send(items);
      items.clear();
    }
  }

  @SuppressWarnings("unchecked")
  private void send(List<Object> items) {
    List<RedisStreams.Append> lines = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof RedisStreams.Append line) {
        lines.add(line);
      }
    }
    try {
      streams.appendAll(lines);
    } catch (RedisUnavailableException | IllegalStateException e) {
      LOG.warn(
          "{} lines of task output not saved in Redis (they are in the log files): {}",
          lines.size(),
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
