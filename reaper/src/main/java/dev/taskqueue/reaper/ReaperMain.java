package dev.taskqueue.reaper;

import dev.taskqueue.cli.Cli;
import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.DaemonLoop;
import dev.taskqueue.cli.MetricsOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.lease.Presence;
import dev.taskqueue.logging.LogFields;
import dev.taskqueue.logging.Logging;
import dev.taskqueue.metrics.ProcessMetrics;
import dev.taskqueue.metrics.Readiness;
import dev.taskqueue.redis.EvictionPolicy;
import dev.taskqueue.redis.RedisSession;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code reaper} executable: recovers, retries and trims until SIGTERM, then exits 0. */
@Command(
    name = "reaper",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Recovers tasks whose worker died or hung (their lease expired): each is retried after a"
          + " backoff, or dead (dead-letter queue) when its retries are spent.",
      "Also promotes due retries to their queues, forgets dead workers and deletes completed and"
          + " dead tasks beyond the retention limits. Any number may run at once."
    })
public final class ReaperMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ReaperMain.class);

  @Mixin CommonOptions common;

  @Mixin MetricsOptions metricsOptions;

  public static void main(String[] args) {
    System.exit(Cli.run(new ReaperMain(), args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Config.Builder builder = common.configBuilder();
    metricsOptions.override(builder);
    Config config = CommonOptions.configure(builder.build(), Logging.Target.STDOUT);
    ReaperSettings settings = ReaperSettings.from(config);
    // One more connection than the loop needs: a scrape reads the queues' depths.
    RedisSession session = RedisSession.open(config, "task-queue-reaper", 3);
    EvictionPolicy.warnIfUnsafe(session.redis());
    ProcessMetrics metrics = ProcessMetrics.start(config, Readiness.redis(session.redis()));
    Reaper reaper = new Reaper(settings, session, Clock.systemUTC(), metrics.registry());
    Presence presence = Presence.start(session.redis(), session.keys(), Presence.Role.REAPER);
    DaemonLoop.run(
        "reaper",
        reaper,
        reaper::stop,
        presence,
        session,
        LOG,
        () ->
            LOG.atInfo()
                .addKeyValue(LogFields.EVENT, "reaper.started")
                .log(
                    "reaper started: sweeping at least every {} ms",
                    settings.interval().toMillis()));
    return 0;
  }
}
