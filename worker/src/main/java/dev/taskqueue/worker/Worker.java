package dev.taskqueue.worker;

import dev.taskqueue.lease.AttemptRecorder;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.LeaseRenewer;
import dev.taskqueue.lease.ProcessId;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.queue.QueueWakeup;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.ModuleCache;
import dev.taskqueue.sandbox.Sandbox;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process's engine (the caller owns the Redis session): a {@link Dispatcher} claiming
 * tasks for a fixed pool of slots, each slot running one task at a time through a {@link
 * TaskRunner}, once the modules its queues run are compiled ({@link ModulePreload}). {@link #stop}
 * is the graceful end: stop claiming, let running tasks finish within the grace period, then
 * interrupt the rest, whose tasks are released back to their queues.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /**
   * How long past a task's timeout the heartbeat may still renew its lease: time to interrupt the
   * guest and record the failure. A task held longer (a stuck slot) is left to the reaper.
   */
  static final Duration LEASE_GRACE = Duration.ofSeconds(10);

  /**
   * How long a task runs before its slot counts as stuck, so that another slot takes the tasks
   * waiting behind it ({@link Slots}).
   */
  static final Duration SLOT_STUCK_AFTER = Duration.ofMillis(1);

  /**
   * How many leases per slot may wait for Redis to record their outcomes before the worker claims
   * no more: under load one ending's round trip, up to 256 outcomes, is in Redis while the slots
   * end more, and at one a slot the claims of a drain waited for it (docs/benchmarks-journal.md, "A
   * backlog that lasts 20 ms again").
   */
  static final int OUTCOMES_WAITING_PER_SLOT = 4;

  /**
   * How many leases may wait for Redis to record their outcomes however few the slots: as many as
   * fifty slots' four. A worker's slots end short tasks at its cores' pace, not theirs: at four a
   * slot, a worker with four slots (the default) stopped claiming after sixteen outcomes, well
   * within one ending's round trip, and its claims took what each ending freed.
   */
  static final int LEAST_OUTCOMES_WAITING = 200;

  /** After the grace period, how long interrupted tasks get to be released. */
  private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

  private final WorkerSettings settings;
  private final ModuleCache modules;
  private final Sandbox sandbox;
  private final Slots slots;
  private final ModulePreload preload;
  private final Dispatcher dispatcher;
  private final Thread dispatcherThread;
  private final Heartbeat heartbeat;
  private final LogJanitor janitor;
  private final BatchRecorder batches;
  private final LogShipper shipper;
  private boolean stopped;

  /** A worker whose metrics are kept but not served. */
  public Worker(WorkerSettings settings, RedisSession session, Clock clock) {
    this(settings, session, clock, new PrometheusRegistry());
  }

  /** A worker registering its metrics ({@link WorkerMetrics}) in {@code registry}. */
  public Worker(
      WorkerSettings settings, RedisSession session, Clock clock, PrometheusRegistry registry) {
    this.settings = settings;
    this.sandbox = new Sandbox(settings.limits());
    ModuleStore store = new ModuleStore(session.redis(), session.keys());
    this.shipper = new LogShipper(session.redis().streams());
    // A Redis outage shorter than a lease does not send tasks back for want of their module.
    this.modules =
        new ModuleCache(
            settings.moduleCacheSize(), new ModuleFetch(store, clock, settings.leaseDuration()));
    AttemptRecorder recorder = new AttemptRecorder(session.redis(), session.keys(), clock);
    Claimer claimer =
        new Claimer(
            session.redis(),
            session.keys(),
            clock,
            settings.workerId(),
            ProcessId.hostName(),
            settings.leaseDuration());
    ClaimRoom room = new ClaimRoom(settings.concurrency(), System::nanoTime);
    // The tasks held (running or claimed ahead), and a few a slot more (200 at least) whose
    // outcomes wait for Redis: a slot never waits for a round trip between tasks, nor a claim for
    // every ending's.
    HeldLeases held = new HeldLeases(room.most() + outcomesWaiting(settings.concurrency()));
    this.heartbeat =
        new Heartbeat(
            settings,
            new LeaseRenewer(
                session.redis(),
                session.keys(),
                clock,
                settings.workerId(),
                settings.leaseDuration(),
                LEASE_GRACE),
            held,
            clock);
    this.batches = new BatchRecorder(recorder, clock);
    this.slots =
        new Slots(
            settings.concurrency(),
            Runtime.getRuntime().availableProcessors(),
            SLOT_STUCK_AFTER,
            System::nanoTime,
            named("slot"));
    TaskRunner runner =
        new TaskRunner(
            settings,
            session.keys(),
            shipper,
            modules,
            new ModuleOptionsCache(store, clock, settings.leaseDuration()),
            sandbox,
            batches,
            held,
            new WorkerMetrics(registry, settings.concurrency(), sandbox.limitHits(), modules),
            clock);
    this.dispatcher =
        new Dispatcher(
            settings,
            claimer,
            recorder,
            new QueueWakeup(session.redis(), session.keys(), settings.queues()),
            heartbeat,
            new ClaimBudget(room, held, claimer, settings.concurrency()),
            new ClaimedTasks(runner, slots, held, room));
    this.preload =
        new ModulePreload(
            session.redis(),
            session.keys(),
            settings.queues(),
            modules,
            settings.moduleCacheSize());
    this.dispatcherThread =
        named("dispatcher")
            .newThread(
                () -> {
                  preload.run();
                  dispatcher.run();
                });
    this.janitor =
        settings.logDir() == null
            ? null
            : new LogJanitor(settings.logDir(), settings.logRetention(), clock);
  }

  /** Starts claiming; does nothing when {@link #stop} came first (a signal during start-up). */
  public synchronized void start() {
    if (stopped) {
      return;
    }
    heartbeat.start();
    dispatcherThread.start();
    if (janitor != null) {
      janitor.start();
    }
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "worker.started")
        .addKeyValue(LogFields.WORKER_ID, settings.workerId())
        .log(
            "worker {} started: queues {}, {} slots, task logs in {}",
            settings.workerId(),
            String.join(",", settings.queues()),
            settings.concurrency(),
            settings.logDir() == null ? "(not saved)" : settings.logDir());
  }

  /**
   * Stops gracefully: no new claims; running tasks get {@code grace} to finish; the rest are
   * interrupted and released to their queues. Safe to call more than once.
   */
  public synchronized void stop(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "worker.stopping")
        .log("worker stopping: no new tasks; running ones get {} ms to finish", grace.toMillis());
    preload.stop();
    dispatcher.stop();
    join(dispatcherThread);
    slots.shutdown();
    if (!await(grace)) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "worker.interrupting")
          .log("grace period over: interrupting running tasks and releasing them");
      // Only guests are interrupted, never a slot talking to Redis: each interrupted task
      // ends INTERRUPTED and its slot releases it.
      sandbox.stopAll();
      if (!await(RELEASE_WAIT)) {
        LOG.atError()
            .addKeyValue(LogFields.EVENT, "worker.abandoned")
            .log("some tasks could not be released in time; they return when their leases expire");
      }
    }
    batches.close();
    shipper.close();
    // Last: until every slot is done, its lease must go on being renewed.
    heartbeat.close();
    if (janitor != null) {
      janitor.close();
    }
    sandbox.close();
    modules.close();
    LOG.atInfo().addKeyValue(LogFields.EVENT, "worker.stopped").log("worker stopped");
  }

  @Override
  public void close() {
    stop(settings.shutdownGrace());
  }

  private boolean await(Duration timeout) {
    try {
      return slots.awaitTermination(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The most leases of {@code slots} slots whose outcomes may wait for Redis at once. */
  static int outcomesWaiting(int slots) {
    return Math.max(OUTCOMES_WAITING_PER_SLOT * slots, LEAST_OUTCOMES_WAITING);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> new Thread(r, prefix + "-" + count.incrementAndGet());
  }
}
