package dev.taskqueue.metrics;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.logging.LogFields;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-running process's metrics: a registry holding the JVM's own metrics and whatever the
 * process registers, served by a {@link MetricsServer} when {@code TASK_QUEUE_METRICS_PORT} is not
 * 0. With the port 0 the metrics are still kept (a counter costs next to nothing), only not served.
 */
public final class ProcessMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessMetrics.class);

  private final PrometheusRegistry registry;
  private final MetricsServer server;

  private ProcessMetrics(PrometheusRegistry registry, MetricsServer server) {
    this.registry = registry;
    this.server = server;
  }

  /** Metrics kept but not served: for tests and for processes run inside another. */
  public static ProcessMetrics unserved() {
    return new ProcessMetrics(new PrometheusRegistry(), null);
  }

  /**
   * Starts serving at the configured port, unless it is 0.
   *
   * @throws dev.taskqueue.error.TaskQueueException when the port cannot be had
   */
  public static ProcessMetrics start(Config config, Readiness readiness) {
    int port = config.get(Settings.METRICS_PORT);
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    if (port == 0) {
      return new ProcessMetrics(registry, null);
    }
    MetricsServer server = MetricsServer.start(port, registry, readiness);
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "metrics.serving")
        .log("serving /metrics, /healthz and /readyz on port {}", server.port());
    return new ProcessMetrics(registry, server);
  }

  /** Where the process registers its own metrics. */
  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
