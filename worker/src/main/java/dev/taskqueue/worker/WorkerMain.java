package dev.taskqueue.worker;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.MetricsOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.lease.Presence;
import dev.taskqueue.logging.Logging;
import dev.taskqueue.metrics.ProcessMetrics;
import dev.taskqueue.metrics.Readiness;
import dev.taskqueue.redis.EvictionPolicy;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.SchedulerLoop;
import dev.taskqueue.schedule.SchedulerMetrics;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code worker} executable: runs tasks until SIGTERM, then stops gracefully and exits 0. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Takes tasks from Redis and runs each in a fresh WebAssembly sandbox.",
      "On SIGTERM or Ctrl-C it stops taking tasks, lets running ones finish within the"
          + " shutdown grace, releases the rest to their queues and exits 0."
    })
public final class WorkerMain implements Callable<Integer> {
  /** Redis connections a worker keeps: see {@link #call}. */
  private static final int CONNECTIONS = 6;

  @Mixin CommonOptions common;

  @Mixin MetricsOptions metricsOptions;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Tasks run at once (TASK_QUEUE_WORKER_CONCURRENCY).")
  String concurrency;

  @Option(
      names = "--queues",
      paramLabel = "Q1,Q2",
      description = "Queues to serve, first first (TASK_QUEUE_QUEUES).")
  String queues;

  @Option(
      names = "--worker-id",
      paramLabel = "ID",
      description = "Name recorded on held tasks (TASK_QUEUE_WORKER_ID).")
  String workerId;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      description = "Time running tasks get on SIGTERM (TASK_QUEUE_SHUTDOWN_GRACE).")
  String shutdownGrace;

  @Option(
      names = "--log-dir",
      paramLabel = "DIR",
      description = "Folder for per-task logs (TASK_QUEUE_WASM_LOG_DIR).")
  String logDir;

  @Option(
      names = "--with-scheduler",
      description =
          "Also run a scheduler in this process (small deployments; bin/scheduler is the"
              + " production path).")
  boolean withScheduler;

  public static void main(String[] args) {
    System.exit(Cli.run(new WorkerMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Config.Builder builder = common.configBuilder();
    CommonOptions.override(builder, Settings.WORKER_CONCURRENCY, concurrency, "--concurrency");
    CommonOptions.override(builder, Settings.QUEUES, queues, "--queues");
    CommonOptions.override(builder, Settings.WORKER_ID, workerId, "--worker-id");
    CommonOptions.override(builder, Settings.SHUTDOWN_GRACE, shutdownGrace, "--shutdown-grace");
    CommonOptions.override(builder, Settings.WASM_LOG_DIR, logDir, "--log-dir");
    metricsOptions.override(builder);
    Config config = CommonOptions.configure(builder.build(), Logging.Target.STDOUT);
    WorkerSettings settings = WorkerSettings.from(config);
    LogFolder.prepare(settings.logDir());
    // Slots do not talk to Redis: the dispatcher, the recorder, the heartbeat, the blocking wait
    // and module loads do, one connection each, plus a spare (and one for the scheduler). On a
    // Redis Cluster there is one blocking wait per queue's slot (QueueWakeup): one more each.
    // Fewer connections, fewer event-loop threads to wake per round trip.
    int connections = CONNECTIONS + settings.queues().size() - 1 + (withScheduler ? 1 : 0);
    RedisSession session = RedisSession.open(config, "task-queue-worker", connections);
    EvictionPolicy.warnIfUnsafe(session.redis());
    ProcessMetrics metrics = ProcessMetrics.start(config, Readiness.redis(session.redis()));
    Worker worker = new Worker(settings, session, Clock.systemUTC(), metrics.registry());
    SchedulerLoop scheduler =
        withScheduler
            ? new SchedulerLoop(
                session,
                Clock.systemUTC(),
                config.get(Settings.SCHEDULER_MAX_SLEEP),
                new SchedulerMetrics(metrics.registry()))
            : null;
    Presence presence =
        withScheduler
            ? Presence.start(session.redis(), session.keys(), Presence.Role.SCHEDULER)
            : null;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> stopGracefully(worker, scheduler, presence, session, settings), "shutdown"));
    worker.start();
    if (scheduler != null) {
      new Thread(scheduler, "scheduler").start();
    }
    new CountDownLatch(1).await();
    return 0;
  }

  /**
   * Runs on SIGTERM or Ctrl-C. A stop by signal is this program's normal end, so after the graceful
   * stop it ends the process with 0 rather than the JVM's 143 for a signal.
   */
  private static void stopGracefully(
      Worker worker,
      SchedulerLoop scheduler,
      Presence presence,
      RedisSession session,
      WorkerSettings settings) {
    if (scheduler != null) {
      scheduler.stop();
      presence.close();
    }
    worker.stop(settings.shutdownGrace());
    session.close();
    Runtime.getRuntime().halt(0);
  }
}
