package dev.taskqueue.cli;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import picocli.CommandLine.Option;

/** The flag of the processes that serve metrics and health: worker, scheduler and reaper. */
public final class MetricsOptions {
  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve /metrics, /healthz and /readyz on this port; 0 turns it off"
              + " (TASK_QUEUE_METRICS_PORT).")
  String metricsPort;

  /** Adds the flag, if given, to {@code builder}. */
  public void override(Config.Builder builder) {
    CommonOptions.override(builder, Settings.METRICS_PORT, metricsPort, "--metrics-port");
  }
}
