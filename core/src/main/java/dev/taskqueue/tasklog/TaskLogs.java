package dev.taskqueue.tasklog;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisStreams;
import dev.taskqueue.task.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a task's output from Redis, from any machine: every attempt's lines ({@link #read}), or the
 * lines as a running task writes them ({@link #follow}), which waits in Redis ({@code XREAD BLOCK})
 * rather than asking again and again.
 */
public final class TaskLogs {
  /** Entries read per round trip (each holds the lines a worker sent together). */
  static final int PAGE = 1000;

  /** How long one wait for new lines lasts before it looks whether the task has ended. */
  static final Duration WAIT = Duration.ofSeconds(1);

  private final RedisStreams streams;
  private final Keys keys;

  public TaskLogs(Redis redis, Keys keys) {
    this.streams = Objects.requireNonNull(redis).streams();
    this.keys = Objects.requireNonNull(keys);
  }

  /** Every line the task has written so far, oldest first; none when it wrote nothing. */
  public List<LogLine> read(String queue, TaskId id) {
    List<LogLine> lines = new ArrayList<>();
    drain(keys.taskLog(queue, id.value()), "0-0", lines::add);
    return lines;
  }

  /**
   * Hands {@code each} every line the task has written and then each new one as it comes, until
   * {@code ended} says the task has ended and its last lines are handed over (a worker writes an
   * attempt's lines before it records the attempt's end). While no line comes it looks at {@code
   * ended} once per {@link #WAIT}.
   */
  public void follow(String queue, TaskId id, BooleanSupplier ended, Consumer<LogLine> each)
      throws InterruptedException {
    String key = keys.taskLog(queue, id.value());
    String after = "0-0";
    while (true) {
      List<RedisStreams.Entry> page = streams.after(key, after, PAGE);
      if (page.isEmpty()) {
        if (ended.getAsBoolean()) {
          drain(key, after, each);
          return;
        }
        page = streams.await(key, after, PAGE, WAIT);
      }
      for (RedisStreams.Entry entry : page) {
        LogLine.of(entry).forEach(each);
      }
      if (!page.isEmpty()) {
        after = page.get(page.size() - 1).id();
      }
    }
  }

  /** Hands over every line after {@code after}, page by page, until there are no more. */
  private String drain(String key, String after, Consumer<LogLine> each) {
    String last = after;
    for (List<RedisStreams.Entry> page = streams.after(key, last, PAGE);
        !page.isEmpty();
        page = streams.after(key, last, PAGE)) {
      for (RedisStreams.Entry entry : page) {
        LogLine.of(entry).forEach(each);
      }
      last = page.get(page.size() - 1).id();
    }
    return last;
  }
}
