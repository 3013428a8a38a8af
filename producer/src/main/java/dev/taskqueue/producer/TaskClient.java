package dev.taskqueue.producer;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.lease.Heartbeats;
import dev.taskqueue.lease.Presence;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.QueueDepths;
import dev.taskqueue.queue.QueueName;
import dev.taskqueue.queue.QueuePauses;
import dev.taskqueue.queue.QueueStats;
import dev.taskqueue.queue.TaskCanceller;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.submission.TaskSubmitter;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.tasklog.LogLine;
import dev.taskqueue.tasklog.TaskLogs;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Submits tasks and reads their state, for Java applications and for the {@code producer} CLI. It
 * checks a submission completely before it writes, so a refused one leaves Redis untouched. One
 * client is safe to share between threads.
 *
 * <pre>
 * try (TaskClient client = TaskClient.builder(config).build()) {
 *   TaskId id = client.submit(Submission.builder("greeter", "{\"name\":\"Ada\"}").build());
 *   client.deadLetters().replay(id); // once its retries are spent
 *   client.schedules()
 *       .add("nightly", submission, "0 0 2 * * *", "Europe/Berlin", CatchUp.FIRE_ONCE);
 * }
 * </pre>
 */
public final class TaskClient implements AutoCloseable {
  /** What {@code CLIENT LIST} shows for a client that opened its own connection. */
  public static final String CLIENT_NAME = "task-queue-producer";

  private final RedisSession session;
  private final boolean ownsSession;
  private final TaskSubmitter submitter;
  private final TaskInspector inspector;
  private final DeadTasks deadTasks;
  private final ScheduleStore schedules;
  private final TaskCanceller canceller;
  private final TaskLogs logs;
  private final Heartbeats heartbeats;
  private final QueueDepths depths;
  private final QueueStats stats;
  private final QueuePauses pauses;
  private final Clock clock;

  private TaskClient(Config config, RedisSession session, boolean ownsSession, Clock clock) {
    this.session = session;
    this.ownsSession = ownsSession;
    this.submitter =
        new TaskSubmitter(
            config,
            new ModuleStore(session.redis(), session.keys()),
            new TaskEnqueuer(session.redis(), session.keys()),
            clock);
    this.inspector = new TaskInspector(session.redis(), session.keys());
    this.deadTasks = new DeadTasks(session.redis(), session.keys(), clock, inspector);
    this.schedules = new ScheduleStore(session.redis(), session.keys(), config, clock);
    this.canceller = new TaskCanceller(session.redis(), session.keys(), clock);
    this.logs = new TaskLogs(session.redis(), session.keys());
    this.heartbeats = new Heartbeats(session.redis(), session.keys(), clock);
    this.depths = new QueueDepths(session.redis(), session.keys());
    this.stats = new QueueStats(session.redis(), session.keys(), clock);
    this.pauses = new QueuePauses(session.redis(), session.keys(), clock);
    this.clock = clock;
  }

  /** A client with the settings of {@code config}: Redis, key prefix, defaults and limits. */
  public static Builder builder(Config config) {
    return new Builder(config);
  }

  /**
   * Enqueues a task that runs the newest version of its module. That version's digest is pinned
   * now: uploading another version later does not change what this task runs. A submission with a
   * run-at time ({@link Submission.Builder#withRunAt}) waits in its queue's scheduled set until
   * then.
   *
   * @throws InvalidInputException when a value of the submission is not acceptable
   * @throws NotFoundException when no module is registered under the task name
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached or did not
   *     confirm the task (the message names its id: check it with {@link #find})
   */
  public TaskId submit(Submission submission) {
    return submitter.submit(submission);
  }

  /**
   * Enqueues many tasks, as {@link #submit} would each, in as few round trips as the queues allow
   * (one per queue and per {@value TaskSubmitter#CHUNK} tasks, or fewer where their payloads come
   * to {@value TaskSubmitter#CALL_CHARS} characters). Every submission is checked first: one that
   * is not acceptable, or names a task with no module, fails the whole batch with nothing written,
   * and the error names its index ({@code entry 3: ...}). A call whose reply is lost is sent again
   * with the same ids.
   *
   * @return the ids, in the order of {@code submissions}
   * @throws InvalidInputException naming the first entry that is not acceptable
   * @throws NotFoundException naming the first entry whose task name has no module
   * @throws dev.taskqueue.error.RedisUnavailableException when Redis cannot be reached or did not
   *     confirm a call (the message names its first id)
   */
  public List<TaskId> submitAll(List<Submission> submissions) {
    return submitter.submitAll(submissions);
  }

  /** As {@link #submitAll(List)}, an error naming the entry by {@code entry} (the CLI's line). */
  List<TaskId> submitAll(List<Submission> submissions, IntFunction<String> entry) {
    return submitter.submitAll(submissions, entry);
  }

  /** The task with this id, whichever queue it is in. */
  public Optional<Task> find(TaskId id) {
    return inspector.find(id);
  }

  /**
   * Like {@link #find}, for an id a person typed: a missing task is their error.
   *
   * @throws NotFoundException when no queue under this client's key prefix holds the task
   */
  public Task require(TaskId id) {
    return find(id).orElseThrow(() -> notFound(id));
  }

  /**
   * Every line the task's attempts have written so far (stdout, stderr, and the worker's notes such
   * as how much output a cap cut), oldest first, from Redis: readable from any machine.
   *
   * @throws NotFoundException when no queue holds the task
   */
  public List<LogLine> logs(TaskId id) {
    return logs.read(require(id).queue(), id);
  }

  /**
   * Hands {@code each} every line the task has written, then each new one as it is written, and
   * returns once the task has ended (completed, dead or cancelled) and its last line was handed
   * over. It waits in Redis for new lines; while none come it looks at the task once a second.
   *
   * @throws NotFoundException when no queue holds the task
   */
  public void followLogs(TaskId id, Consumer<LogLine> each) throws InterruptedException {
    String queue = require(id).queue();
    logs.follow(queue, id, () -> find(id).map(task -> task.stage().isFinal()).orElse(true), each);
  }

  /** Every queue a task was ever submitted to, sorted. */
  public Set<String> queues() {
    return inspector.queues();
  }

  /**
   * The workers alive now, each its latest heartbeat record: id, host, pid, version, queues, slots,
   * busy, heap_used, heap_max, heap_after_gc, threads, started_at, beat_at, expires_at.
   */
  public List<Map<String, String>> workers() {
    return heartbeats.alive();
  }

  /** How many tasks every queue holds in each state, by queue name in order. */
  public Map<String, QueueDepths.Depth> depths() {
    return depths.read();
  }

  /**
   * {@code queue}'s counts kept in Redis: tasks submitted per name, and attempts completed and
   * failed within the last minute.
   */
  public QueueStats.Counts stats(String queue) {
    return stats.read(queue);
  }

  /** Where {@link #inspect} looks: one of a queue's lists or sets, in the order it shows them. */
  public enum Place {
    /** Waiting to run, the next first. */
    PENDING,
    /** Claimed by a worker and not ended, the longest held first. */
    PROCESSING,
    /** Waiting for their time (later tasks and retries), the earliest first. */
    SCHEDULED,
    /** Completed or cancelled, the newest first. */
    COMPLETED,
    /** Dead (dead-letter queue), the newest first. */
    DEAD
  }

  /**
   * Up to {@code limit} tasks of {@code queue} in {@code place}, in its order: for a look at what a
   * queue holds without reading Redis by hand. A task that moved on between the read of the ids and
   * the read of its hash is left out.
   */
  public List<Task> inspect(String queue, Place place, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit + " is not positive");
    }
    Keys keys = session.keys();
    Redis redis = session.redis();
    List<String> ids =
        switch (place) {
          case PENDING -> reversed(redis.lrange(keys.pending(queue), -limit, -1));
          case PROCESSING -> reversed(redis.lrange(keys.processing(queue), -limit, -1));
          case SCHEDULED ->
              redis.sortedSets().rangeByScore(keys.scheduled(queue), Long.MAX_VALUE, limit);
          case COMPLETED -> redis.lrange(keys.finished(queue), 0, limit - 1);
          case DEAD -> redis.lrange(keys.dlq(queue), 0, limit - 1);
        };
    List<Task> tasks = new ArrayList<>(ids.size());
    for (String id : ids) {
      inspector.find(queue, new TaskId(id)).ifPresent(tasks::add);
    }
    return tasks;
  }

  private static List<String> reversed(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    Collections.reverse(copy);
    return copy;
  }

  /** The task at the front of {@code queue}'s pending list, the next to be claimed, if any. */
  public Optional<Task> nextPending(String queue) {
    List<String> front = session.redis().lrange(session.keys().pending(queue), -1, -1);
    return front.isEmpty() ? Optional.empty() : inspector.find(queue, new TaskId(front.get(0)));
  }

  /** How many schedulers (or reapers) say they run. */
  public long alive(Presence.Role role) {
    return Presence.alive(session.redis(), session.keys(), role, clock);
  }

  /** How many schedulers and how many reapers say they run. */
  Movers movers() {
    return new Movers(alive(Presence.Role.SCHEDULER), alive(Presence.Role.REAPER));
  }

  /** When the earliest task waiting in {@code queue}'s scheduled set is due; empty for none. */
  public Optional<Instant> nextScheduled(String queue) {
    return session
        .redis()
        .sortedSets()
        .lowestScore(session.keys().scheduled(queue))
        .map(Instant::ofEpochMilli);
  }

  /** The dead-letter queues: list, replay and purge the tasks whose retries are spent. */
  public DeadTasks deadLetters() {
    return deadTasks;
  }

  /**
   * Cancels a task that has not started: pending, scheduled for later, or waiting for a retry. It
   * is kept, as {@code cancelled}, like a task that ended. Safe to call again: a repeat answers
   * {@link TaskCanceller.Cancel#ALREADY_CANCELLED}.
   *
   * @return what became of it: also {@code RUNNING} (it cannot be cancelled yet), {@code ENDED}
   *     (completed or dead already) or {@code NO_SUCH_TASK}
   */
  public TaskCanceller.Cancel cancel(TaskId id) {
    return inspector
        .find(id)
        .map(task -> canceller.cancel(task.queue(), id))
        .orElse(TaskCanceller.Cancel.NO_SUCH_TASK);
  }

  /**
   * The tasks of {@code queue} waiting for their time, earliest first, at most {@code limit} (at
   * least 1): those submitted to run later (stage {@code scheduled}) and failed ones waiting out
   * their retry backoff (stage {@code retrying}). Cron schedules are in {@link #schedules()}.
   *
   * @throws dev.taskqueue.error.InvalidInputException for a name no queue can have
   */
  public List<Task> scheduled(String queue, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit " + limit + " is not positive");
    }
    List<Task> tasks = new ArrayList<>();
    String key = session.keys().scheduled(QueueName.check(queue));
    for (String id : session.redis().sortedSets().rangeByScore(key, Long.MAX_VALUE, limit)) {
      // A task promoted, cancelled or trimmed since the ids were read is left out.
      inspector
          .find(queue, new TaskId(id))
          .filter(t -> t.stage() == Stage.SCHEDULED || t.stage() == Stage.RETRYING)
          .ifPresent(tasks::add);
    }
    return tasks;
  }

  /**
   * The cron schedules under this client's key prefix: add, list, show, remove, pause and resume
   * them. Each firing submits a task as {@link #submit} would, with the schedule's rules.
   */
  public ScheduleStore schedules() {
    return schedules;
  }

  /**
   * Pausing and resuming queues: workers claim nothing from a paused queue (the tasks they run
   * finish), and submits still join it, to run once it is resumed.
   */
  public QueuePauses pauses() {
    return pauses;
  }

  /** What {@link #require} throws for a task no queue has. */
  NotFoundException notFound(TaskId id) {
    return new NotFoundException(
        "task "
            + id
            + " not found: no queue under key prefix '"
            + session.keys().prefix()
            + "' has it; check the id, and TASK_QUEUE_KEY_PREFIX or --key-prefix"
            + " if it was submitted under another prefix");
  }

  /** Closes the Redis connection if this client opened it; a session given to it stays open. */
  @Override
  public void close() {
    if (ownsSession) {
      session.close();
    }
  }

  /** Builds a {@link TaskClient}; by default it opens its own Redis connection. */
  public static final class Builder {
    private final Config config;
    private Clock clock = Clock.systemUTC();
    private RedisSession session;

    private Builder(Config config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Where creation times, task ids, replay times and purge cutoffs get their time; tests pass a
     * settable clock.
     */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Uses an open session (its key prefix wins over the config's) instead of connecting; the
     * caller keeps it and closes it.
     */
    public Builder withSession(RedisSession session) {
      this.session = Objects.requireNonNull(session, "session");
      return this;
    }

    /**
     * Builds the client, connecting unless a session was given.
     *
     * @throws dev.taskqueue.error.RedisUnavailableException when it must connect and cannot
     */
    public TaskClient build() {
      if (session != null) {
        return new TaskClient(config, session, false, clock);
      }
      // One connection for the caller and one spare; a producer never blocks on Redis.
      return new TaskClient(config, RedisSession.open(config, CLIENT_NAME, 2), true, clock);
    }
  }
}
