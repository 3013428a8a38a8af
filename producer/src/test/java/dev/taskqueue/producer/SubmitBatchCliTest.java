package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code producer submit --batch FILE.jsonl}: what it queues and prints, what it refuses. */
@ExtendWith(RedisExtension.class)
class SubmitBatchCliTest {
  private static final String GREETER = "{\"task\":\"greeter\",\"payload\":{}}";

  @TempDir Path dir;
  private CliFixture cli;
  private Fixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    cli = new CliFixture(redis, dir);
    f = cli.f;
    f.publish("greeter", "greeter v1");
  }

  @Test
  void queuesEveryLineAndPrintsTheIdsInOrder() throws IOException {
    Path file =
        write(
            "{\"task\":\"greeter\",\"payload\":{ \"name\": \"Ad\u00e9\" },\"queue\":\"urgent\"}",
            "",
            "{\"task\":\"greeter\",\"payload\":[1, 2],\"max-retries\":0,\"timeout\":\"500ms\","
                + "\"retry-backoff\":\"250ms..2m\"}",
            "{\"task\":\"greeter\",\"payload\":\"x\",\"in\":\"10m\",\"memory-pages\":8,"
                + "\"max-output\":\"4KiB\",\"max-result\":100}");

    CliRun run = cli.run("", "submit", "--batch", file.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    List<TaskId> ids = run.out().lines().map(TaskId::parse).toList();
    assertEquals(3, ids.size(), run.out());
    Map<String, String> first = f.hash(f.keys.task("urgent", ids.get(0)));
    assertEquals(
        "{ \"name\": \"Ad\u00e9\" }", first.get("payload"), "stored as the line spells it");
    Map<String, String> second = f.hash(f.keys.task("default", ids.get(1)));
    assertEquals("[1, 2]", second.get("payload"));
    assertEquals("0", second.get("max_retries"));
    assertEquals("500", second.get("timeout_ms"));
    assertEquals("120000", second.get("retry_backoff_cap_ms"));
    Map<String, String> third = f.hash(f.keys.task("default", ids.get(2)));
    assertEquals("scheduled", third.get("stage"));
    assertEquals(
        Long.toString(f.clock.instant().plus(Duration.ofMinutes(10)).toEpochMilli()),
        third.get("run_at"));
    assertEquals(
        "{\"memory_pages\":8,\"max_output_bytes\":4096,\"max_result_bytes\":100}",
        third.get("limits"));
    assertEquals(null, second.get("limits"));
  }

  @Test
  void readsStdinAndPrintsJsonWhenAsked() {
    CliRun run = cli.run(GREETER + "\n" + GREETER + "\n", "submit", "--batch", "-", "--json");

    assertEquals(0, run.exitCode(), run.stderr());
    List<String> lines = run.out().lines().toList();
    assertEquals(2, lines.size());
    String id = lines.get(1).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    assertEquals("{\"line\":2,\"id\":\"" + id + "\"}", lines.get(1));
    assertEquals("pending", f.hash(f.keys.task("default", TaskId.parse(id))).get("stage"));
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refusal(
            "not JSON",
            2,
            "line 2: not valid JSON: Unexpected character ('}' (code 125)): was expecting double"
                + "-quote to start property name",
            GREETER,
            "{\"task\":\"greeter\",}"),
        refusal(
            "an unknown field",
            2,
            "line 1: unknown field 'retries': the fields are task, payload, queue, max-retries,"
                + " timeout, retry-backoff, at, in, memory-pages, max-output, max-result",
            "{\"task\":\"greeter\",\"payload\":{},\"retries\":3}"),
        refusal(
            "no payload",
            2,
            "line 1: no payload: every line needs a task and a payload, such as"
                + " {\"task\":\"greeter\",\"payload\":{\"name\":\"Ada\"}}",
            "{\"task\":\"greeter\"}"),
        refusal(
            "a bad duration",
            2,
            "line 1: timeout: '5 minutes' is not a duration: use a number and a unit, such as"
                + " 500ms, 30s, 5m or 2h",
            "{\"task\":\"greeter\",\"payload\":{},\"timeout\":\"5 minutes\"}"),
        refusal(
            "a value out of range",
            2,
            "line 2: max retries 101 is out of range: give 0 to 100 (how often a failed task is"
                + " tried again)",
            GREETER,
            "{\"task\":\"greeter\",\"payload\":{},\"max-retries\":101}"),
        refusal(
            "an unknown task in line 3",
            4,
            "line 3: unknown task 'nosuch': no module is registered under that name; upload one"
                + " with 'registry upload --name nosuch FILE.wasm' or see 'registry list'",
            GREETER,
            GREETER,
            "{\"task\":\"nosuch\",\"payload\":{}}"),
        refusal("an empty file", 2, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithOneLineNamingTheLineAndStoresNothing(
      String label, int exitCode, String message, String[] lines) throws IOException {
    Path file = write(lines);
    Map<String, Object> before = f.state();

    CliRun run = cli.run("", "submit", "--batch", file.toString());

    assertEquals(exitCode, run.exitCode(), run.stderr());
    if (message != null) {
      assertEquals(
          "producer submit: "
              + message
              + "; no task of the batch was submitted"
              + (exitCode == 4 ? cli.lookedIn() : "")
              + "\n",
          run.stderr());
    } else {
      assertEquals(1, run.stderr().lines().count(), run.stderr());
    }
    assertEquals("", run.out());
    assertEquals(before, f.state());
  }

  private Path write(String... lines) throws IOException {
    return Files.write(dir.resolve("batch.jsonl"), List.of(lines), StandardCharsets.UTF_8);
  }

  private static Arguments refusal(String label, int exitCode, String message, String... lines) {
    return Arguments.of(label, exitCode, message, lines);
  }
}
