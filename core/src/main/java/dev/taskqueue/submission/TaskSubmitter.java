package dev.taskqueue.submission;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Creates tasks, the one way they come to be: checks each submission ({@link SubmissionRules}),
 * builds the task with a fresh id and enqueues it pinned to the newest version of its module. The
 * producer (CLI and Java client) uses it, and so will everything else that makes tasks, without
 * depending on the producer.
 *
 * <p>A submit is one round trip: {@code enqueue.lua} pins the version its queue knows as the
 * newest, atomically. The registry is read ({@link ModulePins}) only by a client's first submit to
 * a queue, when a queue knows no version of a name, and for a batch of several calls. A batch is
 * one call per queue and per {@value #CHUNK} tasks (or fewer, of large payloads: {@link
 * #CALL_CHARS}), each all or nothing, sent as {@link EnqueueCalls} says and run by Redis in order.
 *
 * <p>A submit whose reply is lost (a timeout, a failover) is sent again with the same task ids for
 * up to {@code TASK_QUEUE_REDIS_RETRY_FOR} in all, as are its reads; a repeat finds the tasks and
 * reports them queued. If Redis never answers, the error names the task ids, so whether they were
 * queued can be checked instead of guessed. Safe to share between threads.
 */
public final class TaskSubmitter {
  /** Tasks per enqueue call at most: Redis serves nothing else while one runs (a few ms). */
  public static final int CHUNK = 1000;

  /**
   * Payload characters per enqueue call at most, about: a call ends with the task that brings it
   * there, so it always holds one. A call is one request that Redis reads whole, and refuses past
   * 512 MB (its {@code proto-max-bulk-len}) by closing the connection: 700 payloads of 1 MiB in one
   * call were reported as Redis not answering.
   */
  public static final int CALL_CHARS = 8 << 20;

  private final Config config;
  private final ModuleStore modules;
  private final TaskEnqueuer enqueuer;
  private final TaskIdGenerator ids;
  private final Clock clock;

  public TaskSubmitter(Config config, ModuleStore modules, TaskEnqueuer enqueuer, Clock clock) {
    this.config = Objects.requireNonNull(config);
    this.modules = Objects.requireNonNull(modules);
    this.enqueuer = Objects.requireNonNull(enqueuer);
    this.clock = Objects.requireNonNull(clock);
    this.ids = new TaskIdGenerator(clock);
  }

  /**
   * Enqueues a task that runs the newest version of its module. That version's digest is pinned
   * now: uploading another version later does not change what this task runs.
   *
   * @throws InvalidInputException when a value of the submission is not acceptable; nothing was
   *     written
   * @throws NotFoundException when no module is registered under the task name
   * @throws RedisUnavailableException when Redis cannot be reached, or did not confirm the task
   *     (the message then names its id)
   */
  public TaskId submit(Submission submission) {
    return submit(List.of(submission), i -> "").get(0);
  }

  /**
   * Like {@link #submit} for many: every submission is checked before anything is written, and the
   * ids come back in the order of {@code submissions}. An error names the entry by its index.
   */
  public List<TaskId> submitAll(List<Submission> submissions) {
    return submitAll(submissions, i -> "entry " + i);
  }

  /**
   * Like {@link #submitAll(List)}, naming the entry an error is about with {@code entry} (a CLI
   * names the line it read it from).
   *
   * @throws InvalidInputException naming the first entry that is not acceptable; nothing written
   * @throws NotFoundException naming the first entry whose task name has no module; nothing written
   *     unless the batch spans several calls and a module was removed while it was being submitted
   *     (the message then says how many tasks were queued)
   */
  public List<TaskId> submitAll(List<Submission> submissions, IntFunction<String> entry) {
    return submit(submissions, i -> entry.apply(i) + ": ");
  }

  private List<TaskId> submit(List<Submission> submissions, IntFunction<String> where) {
    if (submissions.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<NewTask> tasks = new ArrayList<>(submissions.size());
    for (int i = 0; i < submissions.size(); i++) {
      tasks.add(newTask(submissions.get(i), now, i, where));
    }
    Instant deadline = now.plus(config.get(Settings.REDIS_RETRY_FOR));
    List<List<Integer>> calls = calls(tasks);
    ModulePins pins = new ModulePins(modules, clock, deadline, where);
    if (calls.size() > 1 || !enqueuer.registered(tasks.get(0).queue())) {
      // Several calls are not atomic together, and a queue is added to the index before its first
      // call: resolve every name first, so an unknown one is refused before anything is written.
      pins.resolveAll(tasks);
    }
    new EnqueueCalls(enqueuer, clock, tasks, pins, deadline).sendAll(calls);
    return tasks.stream().map(NewTask::id).toList();
  }

  /**
   * The task of the {@code i}-th submission, checked: a method of its own, called once a task, so
   * that the JIT compiles it early as an ordinary method rather than only within the loop over a
   * batch, compiled on the stack (docs/benchmarks-journal.md).
   */
  private NewTask newTask(Submission submission, Instant now, int i, IntFunction<String> where) {
    try {
      return newTask(SubmissionRules.check(submission, config, clock), now);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(where.apply(i) + e.getMessage(), e);
    }
  }

  private NewTask newTask(SubmissionRules.Checked checked, Instant now) {
    return new NewTask(
        ids.next(),
        checked.queue(),
        checked.taskName(),
        "",
        NewTask.NEWEST,
        checked.runAt().isPresent() ? Kind.SCHEDULED : Kind.IMMEDIATE,
        checked.payload(),
        checked.maxRetries(),
        checked.retryBackoff(),
        checked.timeout(),
        now,
        checked.runAt(),
        checked.limits());
  }

  /**
   * The indexes of {@code tasks} each call sends: per queue, in order, at most {@link #CHUNK} each,
   * and each ending with the task that brings its payloads to {@link #CALL_CHARS}.
   */
  static List<List<Integer>> calls(List<NewTask> tasks) {
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      byQueue.computeIfAbsent(tasks.get(i).queue(), q -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> calls = new ArrayList<>();
    for (List<Integer> queue : byQueue.values()) {
      int from = 0;
      long chars = 0;
      for (int k = 0; k < queue.size(); k++) {
        chars += tasks.get(queue.get(k)).payload().length();
        if (k + 1 - from == CHUNK || chars >= CALL_CHARS || k + 1 == queue.size()) {
          calls.add(queue.subList(from, k + 1));
          from = k + 1;
          chars = 0;
        }
      }
    }
    return calls;
  }
}
