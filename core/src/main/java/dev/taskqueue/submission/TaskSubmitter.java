package dev.taskqueue.submission;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.EnqueueResult;
import dev.taskqueue.queue.Enqueued;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskIdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * one call per queue and per {@value #CHUNK} tasks, each all or nothing, sent {@value #IN_FLIGHT}
 * at a time and run by Redis in order.
 *
 * <p>A submit whose reply is lost (a timeout, a failover) is sent again with the same task ids for
 * up to {@code TASK_QUEUE_REDIS_RETRY_FOR} in all, as are its reads; a repeat finds the tasks and
 * reports them queued. If Redis never answers, the error names the task ids, so whether they were
 * queued can be checked instead of guessed. Safe to share between threads.
 */
public final class TaskSubmitter {
  /** Tasks per enqueue call at most: Redis serves nothing else while one runs (a few ms). */
  public static final int CHUNK = 1000;

  /** Calls of a batch sent before the first of them is answered. */
  private static final int IN_FLIGHT = 2;

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
      try {
        tasks.add(newTask(SubmissionRules.check(submissions.get(i), config, clock), now));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(where.apply(i) + e.getMessage(), e);
      }
    }
    Instant deadline = now.plus(config.get(Settings.REDIS_RETRY_FOR));
    List<List<Integer>> calls = calls(tasks);
    ModulePins pins = new ModulePins(modules, clock, deadline, where);
    if (calls.size() > 1 || !enqueuer.registered(tasks.get(0).queue())) {
      // Several calls are not atomic together, and a queue is added to the index before its first
      // call: resolve every name first, so an unknown one is refused before anything is written.
      pins.resolveAll(tasks);
    }
    if (calls.size() == 1) {
      register(tasks.get(0).queue(), deadline);
      enqueue(tasks, calls.get(0), pins, deadline, 0);
    } else {
      enqueueInFlight(tasks, calls, pins, deadline);
    }
    return tasks.stream().map(NewTask::id).toList();
  }

  /**
   * Sends the calls of a batch {@value #IN_FLIGHT} at a time, so that the next call is built and
   * sent while Redis runs the one before; only calls of one queue are in flight together, each sent
   * to follow the one before it. A call that was refused or went unanswered is sent again, the way
   * a single call is ({@link #enqueue}), once every call before it is answered; the call after it
   * was sent to follow it, so it cannot have run first, and it ran at all only if this one did.
   * When the call cannot be confirmed or is refused, no task after it was queued, or the error
   * names the ones that may have been.
   */
  private void enqueueInFlight(
      List<NewTask> tasks, List<List<Integer>> calls, ModulePins pins, Instant deadline) {
    Deque<Sent> inFlight = new ArrayDeque<>();
    int queued = 0;
    for (List<Integer> call : calls) {
      String queue = tasks.get(call.get(0)).queue();
      Sent previous = inFlight.peekLast();
      if (previous != null && !previous.queue().equals(queue)) {
        while (!inFlight.isEmpty()) {
          queued += settle(inFlight, tasks, pins, deadline, queued);
        }
        previous = null;
      }
      register(queue, deadline);
      List<NewTask> batch = call.stream().map(i -> pins.pin(tasks.get(i))).toList();
      Optional<TaskId> after = Optional.ofNullable(previous).map(Sent::lastId);
      inFlight.add(new Sent(call, batch, enqueuer.enqueueAllAsync(queue, batch, after)));
      if (inFlight.size() == IN_FLIGHT) {
        queued += settle(inFlight, tasks, pins, deadline, queued);
      }
    }
    while (!inFlight.isEmpty()) {
      queued += settle(inFlight, tasks, pins, deadline, queued);
    }
  }

  /** A call sent without waiting for its reply. */
  private record Sent(List<Integer> call, List<NewTask> batch, CompletableFuture<Enqueued> reply) {
    String queue() {
      return batch.get(0).queue();
    }

    TaskId lastId() {
      return batch.get(batch.size() - 1).id();
    }

    /**
     * Whether the call queued its tasks: yes, no (it was refused and wrote nothing), or unknown.
     */
    Optional<Boolean> queued() {
      try {
        return Optional.of(Redis.await(reply).refused().isEmpty());
      } catch (RedisUnavailableException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * Waits for the reply to the first call in flight and takes it off; sends the call again unless
   * it queued every task.
   */
  private int settle(
      Deque<Sent> inFlight, List<NewTask> tasks, ModulePins pins, Instant deadline, int queued) {
    Sent sent = inFlight.poll();
    if (sent.queued().orElse(false)) {
      return sent.call().size();
    }
    try {
      enqueue(tasks, sent.call(), pins, deadline, queued);
    } catch (RedisUnavailableException e) {
      Sent follower = inFlight.peek();
      if (follower == null || !(e.getCause() instanceof RedisUnavailableException failure)) {
        throw e;
      }
      Optional<Boolean> followed = follower.queued();
      if (followed.orElse(false)) {
        return sent.call().size(); // the follower ran, so this call had: its last task existed
      }
      if (followed.isPresent()) {
        throw e; // the follower was refused and wrote nothing
      }
      List<NewTask> both = new ArrayList<>(sent.batch());
      both.addAll(follower.batch());
      throw notConfirmed(failure, both, List.of(sent.batch(), follower.batch()));
    }
    return sent.call().size();
  }

  private void register(String queue, Instant deadline) {
    Resend.until(
        deadline,
        clock,
        () -> {
          enqueuer.registerQueue(queue);
          return true;
        });
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

  /** The indexes of {@code tasks} each call sends: per queue, in order, at most CHUNK each. */
  private static List<List<Integer>> calls(List<NewTask> tasks) {
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      byQueue.computeIfAbsent(tasks.get(i).queue(), q -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> calls = new ArrayList<>();
    for (List<Integer> queue : byQueue.values()) {
      for (int from = 0; from < queue.size(); from += CHUNK) {
        calls.add(queue.subList(from, Math.min(queue.size(), from + CHUNK)));
      }
    }
    return calls;
  }

  /**
   * Sends one call until it is answered. A task the queue refuses while it left its version to the
   * queue gets the registry's newest version pinned, and the call is sent again (a refused call
   * wrote nothing); refused with its version pinned, it was removed while this ran.
   */
  private void enqueue(
      List<NewTask> tasks, List<Integer> call, ModulePins pins, Instant deadline, int queued) {
    while (true) {
      List<NewTask> batch = call.stream().map(i -> pins.pin(tasks.get(i))).toList();
      Enqueued result = send(batch, deadline);
      if (result.refused().isEmpty()) {
        return;
      }
      Enqueued.Refused refused = result.refused().get();
      NewTask task = batch.get(refused.index());
      int index = call.get(refused.index());
      if (!task.pinned()) {
        pins.resolve(task.name(), index);
      } else if (refused.why() == EnqueueResult.MODULE_REMOVED) {
        throw pins.removedWhileSubmitting(task, index, queued);
      } else {
        throw new IllegalStateException("bug: enqueue refused a pinned task as " + refused.why());
      }
    }
  }

  private Enqueued send(List<NewTask> batch, Instant deadline) {
    try {
      return Resend.until(deadline, clock, () -> enqueuer.enqueueAll(batch.get(0).queue(), batch));
    } catch (RedisUnavailableException e) {
      throw notConfirmed(e, batch, List.of(batch));
    }
  }

  /**
   * The error for tasks sent that Redis did not confirm ({@code failure}, the last send's cause),
   * naming them so that whether they were queued can be checked instead of guessed: one call's
   * tasks are queued all or none, so its first tells, and {@code calls} are the calls the tasks
   * span ({@link #settle} names two: the second ran only if the first did). The cause of the error
   * is {@code failure}.
   */
  private static RedisUnavailableException notConfirmed(
      RedisUnavailableException failure, List<NewTask> tasks, List<List<NewTask>> calls) {
    String first = tasks.get(0).id().value();
    String sent =
        tasks.size() == 1
            ? "task " + first + " was sent but Redis did not confirm it, so it may or may not be"
            : tasks.size()
                + " tasks, "
                + first
                + " to "
                + tasks.get(tasks.size() - 1).id()
                + ", were sent but Redis did not confirm them, so they may or may not be";
    String check =
        calls.stream()
            .map(call -> "'producer status " + call.get(0).id() + "'")
            .collect(java.util.stream.Collectors.joining(" and "));
    return new RedisUnavailableException(
        failure.getMessage()
            + "; "
            + sent
            + " queued: check with "
            + check
            + " before submitting "
            + (tasks.size() == 1 ? "it" : "them")
            + " again",
        failure);
  }
}
