package dev.taskqueue.worker;

import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.lease.LeaseRenewer;
import dev.taskqueue.lease.ProcessId;
import dev.taskqueue.lease.Renewal;
import dev.taskqueue.logging.LogFields;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's heartbeat loop. Duties:
 *
 * <ul>
 *   <li>every interval, record the worker's heartbeat and renew every lease it holds, in one round
 *       trip ({@link LeaseRenewer});
 *   <li>know until when the worker's leases are safe: the dispatcher claims nothing once the last
 *       confirmed beat is older than the lease duration less one interval, so a worker cut off from
 *       Redis stops starting tasks before its leases run out;
 *   <li>say when a lease was lost (the reaper took the task over): that task's outcome will be
 *       discarded.
 * </ul>
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final WorkerSettings settings;
  private final LeaseRenewer renewer;
  private final HeldLeases held;
  private final Clock clock;
  private final Instant startedAt;
  private final ScheduledExecutorService timer;
  private volatile Instant confirmedAt = Instant.MIN;
  private volatile boolean failing;

  Heartbeat(WorkerSettings settings, LeaseRenewer renewer, HeldLeases held, Clock clock) {
    this.settings = settings;
    this.renewer = renewer;
    this.held = held;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "heartbeat");
              thread.setDaemon(true);
              return thread;
            });
  }

  void start() {
    long interval = settings.heartbeatInterval().toMillis();
    // beatSafely() catches everything, so the schedule never ends by an exception to report.
    var unused = timer.scheduleWithFixedDelay(this::beatSafely, 0, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Whether new tasks may be claimed: a claimed task's lease lasts the lease duration and is
   * renewed only by a working heartbeat, so claim only while the last beat is recent.
   */
  boolean healthy() {
    Instant safeUntil =
        confirmedAt.equals(Instant.MIN)
            ? Instant.MIN
            : confirmedAt.plus(settings.leaseDuration()).minus(settings.heartbeatInterval());
    return clock.instant().isBefore(safeUntil);
  }

  private void beatSafely() {
    try {
      beat();
    } catch (RuntimeException e) {
      // A bug must not stop the beats: the leases would all be lost.
      LOG.atError()
          .addKeyValue(LogFields.EVENT, "worker.heartbeat_error")
          .setCause(e)
          .log("bug: the heartbeat failed unexpectedly");
    }
  }

  private void beat() {
    Instant sent = clock.instant();
    List<Renewal> renewals;
    try {
      renewals = renewer.beat(record(sent), held.all());
    } catch (RedisUnavailableException e) {
      if (!failing) {
        failing = true;
        LOG.atWarn()
            .addKeyValue(LogFields.EVENT, "worker.heartbeat_failed")
            .log(
                "heartbeat failed ({}): no new tasks until Redis answers; running tasks' leases"
                    + " expire {} ms after the last beat",
                e.getMessage(),
                settings.leaseDuration().toMillis());
      }
      return;
    }
    if (failing) {
      failing = false;
      LOG.atInfo().addKeyValue(LogFields.EVENT, "worker.heartbeat_restored").log("heartbeat back");
    }
    confirmedAt = sent;
    for (Renewal renewal : renewals) {
      held.renewed(renewal);
      // An attempt ended by its slot a moment ago is not lost, only not yet forgotten.
      renewal
          .lost()
          .filter(why -> !why.recorded())
          .ifPresent(
              why ->
                  LOG.atWarn()
                      .addKeyValue(LogFields.EVENT, "task.lease_lost")
                      .addKeyValue(LogFields.TASK_ID, renewal.lease().taskId().value())
                      .log(
                          "task {}: {}; its outcome will be discarded",
                          renewal.lease().taskId(),
                          why.why()));
    }
  }

  private Map<String, String> record(Instant now) {
    Map<String, String> record = new LinkedHashMap<>();
    record.put("id", settings.workerId());
    record.put("host", ProcessId.hostName());
    record.put("pid", Long.toString(ProcessHandle.current().pid()));
    record.put("version", WorkerSettings.version());
    record.put("queues", String.join(",", settings.queues()));
    record.put("slots", Integer.toString(settings.concurrency()));
    record.put("busy", Integer.toString(held.size()));
    // What an operator (and the bench's soak) watches for leaks: both should stay flat.
    Runtime runtime = Runtime.getRuntime();
    record.put("heap_used", Long.toString(runtime.totalMemory() - runtime.freeMemory()));
    record.put("heap_max", Long.toString(runtime.maxMemory()));
    record.put("heap_after_gc", Long.toString(HeapAfterGc.bytes()));
    record.put("threads", Integer.toString(THREADS.getThreadCount()));
    record.put("started_at", Long.toString(startedAt.toEpochMilli()));
    record.put("beat_at", Long.toString(now.toEpochMilli()));
    return record;
  }

  /** Stops beating and removes the worker's heartbeat record. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(settings.heartbeatInterval().toMillis() + 5000, TimeUnit.MILLISECONDS);
      renewer.goodbye();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RedisUnavailableException e) {
      LOG.atWarn()
          .addKeyValue(LogFields.EVENT, "worker.goodbye_failed")
          .log("could not remove the heartbeat record ({}); the reaper will", e.getMessage());
    }
  }
}
