package dev.taskqueue.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A process serves the JVM's metrics that the Prometheus client's own set would give. */
class ProcessMetricsTest {
  @Test
  void registersWhatJvmMetricsWouldWhereNativeMemoryIsNotTracked() {
    PrometheusRegistry ours = new PrometheusRegistry();
    PrometheusRegistry theirs = new PrometheusRegistry();

    ProcessMetrics.registerJvmMetrics(ours);
    JvmMetrics.builder().register(theirs);

    Set<String> names = names(ours);
    assertEquals(names(theirs), names);
    assertTrue(names.contains("jvm_threads_current"), names.toString());
    assertTrue(names.contains("process_cpu_seconds"), names.toString());
  }

  private static Set<String> names(PrometheusRegistry registry) {
    Set<String> names = new TreeSet<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      names.add(snapshot.getMetadata().getPrometheusName());
    }
    return names;
  }
}
