package dev.taskqueue.metrics;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.logging.LogFields;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
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
    registerJvmMetrics(registry);
    if (port == 0) {
      return new ProcessMetrics(registry, null);
    }
    MetricsServer server = MetricsServer.start(port, registry, readiness);
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "metrics.serving")
        .log("serving /metrics, /healthz and /readyz on port {}", server.port());
    return new ProcessMetrics(registry, server);
  }

  /**
   * The JVM's metrics, as {@code JvmMetrics} registers them, but native memory's only when the JVM
   * tracks it ({@code -XX:NativeMemoryTracking}, off by default). To learn whether it does, {@code
   * JvmNativeMemoryMetrics} runs the JVM's native memory diagnostic command as it registers: about
   * 150 ms of every daemon's start for metrics that are then empty.
   */
  static void registerJvmMetrics(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryPoolAllocationMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    if (nativeMemoryTracked()) {
      JvmNativeMemoryMetrics.builder().register(registry);
    }
    JvmRuntimeInfoMetric.builder().register(registry);
    io.prometheus.metrics.instrumentation.jvm.ProcessMetrics.builder().register(registry);
  }

  private static boolean nativeMemoryTracked() {
    HotSpotDiagnosticMXBean hotSpot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (hotSpot == null) {
      return true; // not HotSpot: let the metrics find out for themselves
    }
    try {
      return !"off".equals(hotSpot.getVMOption("NativeMemoryTracking").getValue());
    } catch (IllegalArgumentException e) {
      return true; // a HotSpot without the option: likewise
    }
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
