package dev.taskqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.client.handler.ErrorsLoggingHandler;
import org.redisson.client.handler.PingConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

class LoggingTest {
  private static final Logger LOG = LoggerFactory.getLogger("dev.taskqueue.worker.TaskRunner");
  private final PrintStream originalErr = System.err;

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    Logging.configure("warn", "pretty", Logging.Target.STDERR);
    MDC.clear();
  }

  @Test
  void jsonCarriesTaskFieldsAndEventFieldsAsTopLevelFields() {
    String line = logOneTaskEvent("json");

    Map<?, ?> event = JsonMapper.builder().build().readValue(line, Map.class);
    assertEquals("task completed", event.get("message"));
    assertEquals("INFO", event.get("level"));
    assertEquals("0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90", event.get(LogFields.TASK_ID));
    assertEquals("greeter", event.get(LogFields.TASK_NAME));
    assertEquals("default", event.get(LogFields.QUEUE));
    assertEquals("1", event.get(LogFields.ATTEMPT));
    assertEquals("w1", event.get(LogFields.WORKER_ID));
    assertEquals("task.completed", event.get(LogFields.EVENT));
    assertEquals(12, event.get(LogFields.DURATION_MS));
  }

  @Test
  void prettyIsOneReadableLineWithTheSameFields() {
    String line = logOneTaskEvent("pretty");

    assertEquals(1, line.lines().count(), line);
    assertTrue(line.contains(" INFO  TaskRunner     task completed "), line);
    assertTrue(line.contains("event=task.completed duration_ms=12"), line);
    assertTrue(
        line.endsWith(
            " task_id=0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90 task_name=greeter queue=default"
                + " attempt=1 worker_id=w1"),
        line);
  }

  @Test
  void theRedisClientsConnectionErrorsAreWrittenOnlyWhenDebugging() {
    for (Class<?> handler : List.of(PingConnectionHandler.class, ErrorsLoggingHandler.class)) {
      assertEquals("", logAnError(handler.getName(), "info"), handler.getName());
      assertEquals("", logAnError(handler.getName(), "warn"), handler.getName());
      assertTrue(
          logAnError(handler.getName(), "debug").contains("Unable to send PING"),
          handler.getName());
    }
    assertTrue(
        logAnError("org.redisson.connection.ConnectionsHolder", "info").contains("Unable to"),
        "the client's other errors are written");
  }

  /** What a logger named {@code name} writes of an error at the processes' {@code level}. */
  private String logAnError(String name, String level) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Logging.configure(level, "pretty", Logging.Target.STDERR);
    LoggerFactory.getLogger(name)
        .error("Unable to send PING command over channel", new IllegalStateException("timeout"));
    System.setErr(originalErr);
    return captured.toString(StandardCharsets.UTF_8).strip();
  }

  private String logOneTaskEvent(String format) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Logging.configure("info", format, Logging.Target.STDERR);
    MDC.put(LogFields.TASK_ID, "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90");
    MDC.put(LogFields.TASK_NAME, "greeter");
    MDC.put(LogFields.QUEUE, "default");
    MDC.put(LogFields.ATTEMPT, "1");
    MDC.put(LogFields.WORKER_ID, "w1");
    LOG.atInfo()
        .addKeyValue(LogFields.EVENT, "task.completed")
        .addKeyValue(LogFields.DURATION_MS, 12)
        .log("task completed");
    LOG.debug("below the level: not written");
    return captured.toString(StandardCharsets.UTF_8).strip();
  }
}
