package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the bench prints of a row: the table for people, the JSON for scripts. */
class ReportTest {
  private static final OptionalDouble MICROS = OptionalDouble.of(0.0234567);
  private static final ProcessLogging INFO_JSON = new ProcessLogging("info", "json");
  private static final ProcessLogging DEBUG = new ProcessLogging("debug", "pretty");
  private static final WorkerJavaOpts NONE = WorkerJavaOpts.from(Map.of());

  @Test
  void jsonKeepsOneObjectPerRowWithMillisecondsToTheMicrosecond() {
    Row row = row("sandbox no-op compiled", 0);

    String json = printed(new Report(true, ProcessLogging.DEFAULT, NONE), row);

    List<String> lines = json.strip().lines().toList();
    assertEquals(1, lines.size(), json);
    JsonNode object = JsonMapper.builder().build().readTree(lines.get(0));
    assertEquals("sandbox no-op compiled", object.path("scenario").asString());
    assertEquals(0.023, object.path("p50_ms").asDouble());
    assertTrue(
        printed(new Report(false, ProcessLogging.DEFAULT, NONE), row).contains(" 0.023 "),
        "the table too");
  }

  /** A figure of a row's own in ms (a p99 among rounds) is shown as the percentiles are. */
  @Test
  void figuresOfARowsOwnInMillisecondsKeepTheirMicroseconds() {
    Row row =
        row("latency submit-to-start 1000/s, mean of 3", 1)
            .with("min_p99_ms", 0.8964)
            .with("jit_cpu_ms", 2710.0)
            .with("warm_up_s", 25.14);

    JsonNode object =
        JsonMapper.builder()
            .build()
            .readTree(printed(new Report(true, ProcessLogging.DEFAULT, NONE), row));
    String table = printed(new Report(false, ProcessLogging.DEFAULT, NONE), row);

    assertEquals(0.896, object.path("min_p99_ms").asDouble(), object.toString());
    assertEquals(2710.0, object.path("jit_cpu_ms").asDouble(), object.toString());
    assertEquals(25.1, object.path("warm_up_s").asDouble(), object.toString());
    assertTrue(table.contains("min_p99_ms 0.896  jit_cpu_ms 2710.0  warm_up_s 25.1"), table);
  }

  /**
   * A figure measured with the workers at {@code info} is not one at {@code warn} (a worker then
   * logs two lines a task, in JSON each an object), so a row the workers made says how they logged;
   * one made in the bench's own process (the sandbox's, a script's) has nothing to say.
   */
  @Test
  void rowsTheWorkersMadeSayHowTheyLogged() {
    JsonMapper mapper = JsonMapper.builder().build();

    JsonNode drain = mapper.readTree(printed(new Report(true, INFO_JSON, NONE), row("drain", 1)));
    JsonNode sandbox =
        mapper.readTree(
            printed(new Report(true, INFO_JSON, NONE), row("sandbox no-op compiled", 0)));

    assertEquals("info", drain.path("log_level").asString(), drain.toString());
    assertEquals("json", drain.path("log_format").asString(), drain.toString());
    assertFalse(sandbox.has("log_level") || sandbox.has("log_format"), sandbox.toString());
    assertTrue(
        printed(new Report(false, DEBUG, NONE), row("drain", 1))
            .contains("log_level debug  log_format pretty"));
    String table = printed(new Report(false, DEBUG, NONE), row("sandbox no-op compiled", 0));
    assertFalse(table.contains("log_level"), table);
  }

  /**
   * A figure measured with the workers given JVM options is not one measured without; a row the
   * workers made says which they had (TASK_QUEUE_JAVA_OPTS, then TASK_QUEUE_WORKER_JAVA_OPTS, as
   * their launcher adds them), and says nothing of them when none were given.
   */
  @Test
  void rowsTheWorkersMadeSayTheJavaOptionsTheyWereGiven() {
    JsonMapper mapper = JsonMapper.builder().build();
    WorkerJavaOpts given =
        WorkerJavaOpts.from(
            Map.of(
                "TASK_QUEUE_JAVA_OPTS", " -Xmx1g ",
                "TASK_QUEUE_WORKER_JAVA_OPTS", "-Xmn48m",
                "TASK_QUEUE_REAPER_JAVA_OPTS", "-Xmx64m"));

    JsonNode drain = mapper.readTree(printed(new Report(true, DEBUG, given), row("drain", 1)));
    JsonNode sandbox =
        mapper.readTree(printed(new Report(true, DEBUG, given), row("sandbox no-op compiled", 0)));
    JsonNode without = mapper.readTree(printed(new Report(true, DEBUG, NONE), row("drain", 1)));

    assertEquals("-Xmx1g -Xmn48m", drain.path(WorkerJavaOpts.KEY).asString(), drain.toString());
    assertFalse(sandbox.has(WorkerJavaOpts.KEY), sandbox.toString());
    assertFalse(without.has(WorkerJavaOpts.KEY), without.toString());
    String table = printed(new Report(false, DEBUG, given), row("drain", 1));
    assertTrue(table.contains("worker_java_opts '-Xmx1g -Xmn48m'"), table);
    assertEquals(
        "-Xmn48m", WorkerJavaOpts.from(Map.of("TASK_QUEUE_WORKER_JAVA_OPTS", "-Xmn48m")).value());
  }

  private static Row row(String scenario, int workers) {
    return new Row(
        scenario,
        1,
        workers,
        1,
        false,
        0.1,
        OptionalDouble.of(10),
        MICROS,
        MICROS,
        MICROS,
        OptionalDouble.empty(),
        Map.of());
  }

  private static String printed(Report report, Row row) {
    PrintStream out = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      report.print(row);
    } finally {
      System.setOut(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
