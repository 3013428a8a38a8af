package dev.taskqueue.scheduler;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.DaemonLoop;
import dev.taskqueue.cli.MetricsOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.lease.Presence;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.logging.Logging;
import dev.taskqueue.metrics.ProcessMetrics;
import dev.taskqueue.metrics.Readiness;
import dev.taskqueue.redis.EvictionPolicy;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.schedule.SchedulerLoop;
import dev.taskqueue.schedule.SchedulerMetrics;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code scheduler} executable: promotes due tasks and fires cron schedules until SIGTERM. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Moves tasks scheduled for later, and retries whose backoff is over, into their queues when"
          + " they are due, and fires cron schedules, each firing a task of its own.",
      "Any number may run at once: each task is promoted, and each firing made, once."
    })
public final class SchedulerMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerMain.class);

  @Mixin CommonOptions common;

  @Mixin MetricsOptions metricsOptions;

  public static void main(String[] args) {
    System.exit(Cli.run(new SchedulerMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Config.Builder builder = common.configBuilder();
    metricsOptions.override(builder);
    Config config = CommonOptions.configure(builder.build(), Logging.Target.STDOUT);
    RedisSession session = RedisSession.open(config, "task-queue-scheduler", 3);
    EvictionPolicy.warnIfUnsafe(session.redis());
    ProcessMetrics metrics = ProcessMetrics.start(config, Readiness.redis(session.redis()));
    SchedulerLoop loop =
        new SchedulerLoop(
            session,
            Clock.systemUTC(),
            config.get(Settings.SCHEDULER_MAX_SLEEP),
            new SchedulerMetrics(metrics.registry()));
    Presence presence = Presence.start(session.redis(), session.keys(), Presence.Role.SCHEDULER);
    DaemonLoop.run(
        "scheduler",
        loop,
        loop::stop,
        presence,
        session,
        LOG,
        () ->
            LOG.atInfo()
                .addKeyValue(LogFields.EVENT, "scheduler.started")
                .log("scheduler started"));
    return 0;
  }
}
