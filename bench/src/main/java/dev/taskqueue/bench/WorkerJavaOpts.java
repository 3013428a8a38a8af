package dev.taskqueue.bench;

import dev.taskqueue.config.Config;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JVM options the bench's workers get beyond their launcher's own: {@code TASK_QUEUE_JAVA_OPTS}
 * then {@code TASK_QUEUE_WORKER_JAVA_OPTS}, as bin/lib/launch.sh gives them. A worker's JIT, heap
 * and pages change what a task costs it, so a row the workers made says which options they ran
 * with, and two settings compared in turns are told apart by their rows alone.
 *
 * @param value the options, as the launcher passes them; empty when none were given
 */
record WorkerJavaOpts(String value) {
  static final String KEY = "worker_java_opts";

  /** The options the launcher would give a worker started in {@code environment}. */
  static WorkerJavaOpts from(Map<String, String> environment) {
    return new WorkerJavaOpts(
        Stream.of("TASK_QUEUE_JAVA_OPTS", Config.javaOptsOf("worker"))
            .map(name -> environment.getOrDefault(name, "").strip())
            .filter(options -> !options.isEmpty())
            .collect(Collectors.joining(" ")));
  }

  boolean given() {
    return !value.isEmpty();
  }
}
