package dev.taskqueue.worker;

import dev.taskqueue.lease.TaskLeases;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.queue.QueueWakeup;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.redisson.client.RedisException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one claiming loop. Duties:
 *
 * <ul>
 *   <li>wait until a slot is free, then claim as many tasks as there are free slots in one call per
 *       queue, queues in their configured order (an earlier queue is always served first);
 *   <li>hand each claimed task to a slot; a claimed task is always run or released, never dropped;
 *   <li>when nothing is pending, block in Redis on the queues' markers instead of polling;
 *   <li>when Redis fails, back off and retry instead of dying.
 * </ul>
 */
final class Dispatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

  /** How long one blocking wait lasts: also the longest a stop request waits for this loop. */
  static final Duration IDLE_WAIT = Duration.ofSeconds(1);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final WorkerSettings settings;
  private final TaskLeases leases;
  private final QueueWakeup wakeup;
  private final TaskRunner runner;
  private final ExecutorService slots;
  private final Semaphore freeSlots;
  private volatile boolean running = true;

  Dispatcher(
      WorkerSettings settings,
      TaskLeases leases,
      QueueWakeup wakeup,
      TaskRunner runner,
      ExecutorService slots) {
    this.settings = settings;
    this.leases = leases;
    this.wakeup = wakeup;
    this.runner = runner;
    this.slots = slots;
    this.freeSlots = new Semaphore(settings.concurrency());
  }

  /** Asks the loop to stop claiming; it ends within {@link #IDLE_WAIT}. */
  void stop() {
    running = false;
  }

  @Override
  public void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try {
        if (!dispatchOnce()) {
          wakeup.await(IDLE_WAIT);
        }
        backoff = Duration.ofMillis(100);
      } catch (RedisException e) {
        LOG.atWarn()
            .addKeyValue(LogFields.EVENT, "worker.redis_unavailable")
            .log(
                "Redis failed ({}); retrying in {} ms",
                RedisConnector.rootMessage(e),
                backoff.toMillis());
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A bug must not end the loop silently and leave the worker idle: say so and go on.
        LOG.atError()
            .addKeyValue(LogFields.EVENT, "worker.dispatch_error")
            .setCause(e)
            .log("bug: claiming failed unexpectedly; retrying in {} ms", IDLE_WAIT.toMillis());
        sleep(IDLE_WAIT);
      }
    }
  }

  /**
   * Claims for every free slot and starts what it claimed.
   *
   * @return false when no queue had anything pending, so the loop should wait for work
   */
  private boolean dispatchOnce() throws InterruptedException {
    // Every slot busy: come back to check whether to stop rather than block for good.
    if (!freeSlots.tryAcquire(IDLE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    if (!running) {
      freeSlots.release();
      return true;
    }
    int free = 1 + freeSlots.drainPermits();
    List<Task> claimed = new ArrayList<>(free);
    try {
      for (String queue : settings.queues()) {
        if (claimed.size() == free) {
          break;
        }
        claimed.addAll(leases.claim(queue, settings.workerId(), free - claimed.size()));
      }
    } finally {
      freeSlots.release(free - claimed.size());
      for (Task task : claimed) {
        slots.execute(() -> runAndFreeSlot(task));
      }
    }
    return !claimed.isEmpty();
  }

  private void runAndFreeSlot(Task task) {
    try {
      runner.run(task);
    } catch (RuntimeException e) {
      LOG.error("bug: a task run ended with an unexpected error; the task stays leased", e);
    } finally {
      freeSlots.release();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
