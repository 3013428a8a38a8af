package dev.taskqueue.submission;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.queue.EnqueueResult;
import dev.taskqueue.queue.Enqueued;
import dev.taskqueue.queue.TaskEnqueuer;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Sends the {@code enqueue} calls of one submit or batch ({@link TaskSubmitter} has checked the
 * tasks, cut them into calls and resolved what it must): each call sent until Redis answers it,
 * pinned as it must be, and a batch's calls {@value #IN_FLIGHT} at a time, queued in order. Used
 * once.
 */
final class EnqueueCalls {
  /** Calls of a batch sent before the first of them is answered. */
  private static final int IN_FLIGHT = 2;

  private final TaskEnqueuer enqueuer;
  private final Clock clock;
  private final List<NewTask> tasks;
  private final ModulePins pins;
  private final Instant deadline;

  EnqueueCalls(
      TaskEnqueuer enqueuer, Clock clock, List<NewTask> tasks, ModulePins pins, Instant deadline) {
    this.enqueuer = enqueuer;
    this.clock = clock;
    this.tasks = tasks;
    this.pins = pins;
    this.deadline = deadline;
  }

  /** Sends {@code calls}: each holds the indexes of its tasks, which are all of one queue. */
  void sendAll(List<List<Integer>> calls) {
    if (calls.size() == 1) {
      register(tasks.get(calls.get(0).get(0)).queue());
      enqueue(calls.get(0), 0);
    } else {
      sendInFlight(calls);
    }
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
  private void sendInFlight(List<List<Integer>> calls) {
    Deque<Sent> inFlight = new ArrayDeque<>();
    int queued = 0;
    for (List<Integer> call : calls) {
      String queue = tasks.get(call.get(0)).queue();
      Sent previous = inFlight.peekLast();
      if (previous != null && !previous.queue().equals(queue)) {
        while (!inFlight.isEmpty()) {
          queued += settle(inFlight, queued);
        }
        previous = null;
      }
      register(queue);
      List<NewTask> batch = call.stream().map(i -> pins.pin(tasks.get(i))).toList();
      Optional<TaskId> after = Optional.ofNullable(previous).map(Sent::lastId);
      inFlight.add(new Sent(call, batch, enqueuer.enqueueAllAsync(queue, batch, after)));
      if (inFlight.size() == IN_FLIGHT) {
        queued += settle(inFlight, queued);
      }
    }
    while (!inFlight.isEmpty()) {
      queued += settle(inFlight, queued);
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
  private int settle(Deque<Sent> inFlight, int queued) {
    Sent sent = inFlight.poll();
    if (sent.queued().orElse(false)) {
      return sent.call().size();
    }
    try {
      enqueue(sent.call(), queued);
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

  private void register(String queue) {
    Resend.until(
        deadline,
        clock,
        () -> {
          enqueuer.registerQueue(queue);
          return true;
        });
  }

  /**
   * Sends one call until it is answered. A task the queue refuses while it left its version to the
   * queue gets the registry's newest version pinned, and the call is sent again (a refused call
   * wrote nothing); refused with its version pinned, it was removed while this ran.
   */
  private void enqueue(List<Integer> call, int queued) {
    while (true) {
      List<NewTask> batch = call.stream().map(i -> pins.pin(tasks.get(i))).toList();
      Enqueued result = send(batch);
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

  private Enqueued send(List<NewTask> batch) {
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
            .collect(Collectors.joining(" and "));
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
