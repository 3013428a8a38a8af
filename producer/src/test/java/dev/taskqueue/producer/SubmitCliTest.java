package dev.taskqueue.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code producer submit}: where the payload comes from, what it prints, what it refuses. */
@ExtendWith(RedisExtension.class)
class SubmitCliTest {
  private static final String ID_LINE =
      "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-" + "[0-9a-f]{12}\n";

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
  void printsOnlyTheNewIdAndWritesTheTask() {
    CliRun run =
        cli.run(
            "",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{\"name\":\"Ada\"}",
            "--queue",
            "urgent",
            "--max-retries",
            "0",
            "--timeout",
            "500ms",
            "--retry-backoff",
            "250ms..2m");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.out().matches(ID_LINE), run.out());
    assertEquals("", run.stderr());
    Map<String, String> hash = taskHash("urgent", run);
    assertEquals("{\"name\":\"Ada\"}", hash.get("payload"));
    assertEquals("0", hash.get("max_retries"));
    assertEquals("500", hash.get("timeout_ms"));
    assertEquals("250", hash.get("retry_backoff_base_ms"));
    assertEquals("120000", hash.get("retry_backoff_cap_ms"));
    assertEquals(f.modules.require("greeter").digest(), hash.get("module_digest"));
  }

  /** Issue 16: a task's own limits at submit, stored with it and shown by status. */
  @Test
  void aTasksOwnLimitsAreStoredAndShown() {
    CliRun run =
        cli.run(
            "",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{}",
            "--memory-pages",
            "16",
            "--max-output",
            "64KiB",
            "--max-result",
            "1024");
    CliRun bad = cli.run("", "submit", "--task", "greeter", "--payload", "{}", "--max-output", "x");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        "{\"memory_pages\":16,\"max_output_bytes\":65536,\"max_result_bytes\":1024}",
        taskHash("default", run).get("limits"));
    CliRun status = cli.run("", "status", run.out().strip());
    assertTrue(
        status
            .out()
            .contains("\nlimits:   memory 16 pages, output 65536 bytes, result 1024 bytes\n"),
        status.out());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.stderr().contains("'x' is not a size"), bad.stderr());
  }

  @Test
  void withoutRetryBackoffTheSettingsDecide() {
    CliFixture configured =
        new CliFixture(
            f.redis, dir, "TASK_QUEUE_RETRY_BACKOFF_BASE=5s", "TASK_QUEUE_RETRY_BACKOFF_CAP=1h");

    CliRun run = configured.run("{}", "submit", "--task", "greeter");

    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, String> hash = taskHash("default", run);
    assertEquals("5000", hash.get("retry_backoff_base_ms"));
    assertEquals("3600000", hash.get("retry_backoff_cap_ms"));
  }

  @Test
  void readsThePayloadFromAFileExactly() throws IOException {
    String payload = "{\n  \"name\": \"Ad\u00e9\"\n}\n";
    Path file = Files.writeString(dir.resolve("payload.json"), payload, StandardCharsets.UTF_8);

    CliRun run = cli.run("", "submit", "--task", "greeter", "--payload", "@" + file);

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(payload, taskHash("default", run).get("payload"));
  }

  @Test
  void readsThePayloadFromStdinWhenItIsOmittedOrADash() {
    CliRun omitted = cli.run("{\"n\":1}\n", "submit", "--task", "greeter");
    CliRun dash = cli.run("[\"\u00e9\"]", "submit", "--task", "greeter", "--payload", "-");

    assertEquals(0, omitted.exitCode(), omitted.stderr());
    assertEquals("{\"n\":1}\n", taskHash("default", omitted).get("payload"));
    assertEquals(0, dash.exitCode(), dash.stderr());
    assertEquals("[\"\u00e9\"]", taskHash("default", dash).get("payload"));
  }

  static Stream<Arguments> refusals() {
    String help = " (see 'producer submit --help')";
    String json = "{\"name\":\"Ada\"}";
    return Stream.of(
        refusal(
            "missing --task",
            2,
            "producer submit: Missing required option: '--task=NAME'" + help,
            "submit",
            "--payload",
            json),
        refusal(
            "task and payload as bare words",
            2,
            "producer submit: Unmatched arguments from index 1: 'greeter', '"
                + json
                + "'; did you mean --task greeter --payload '"
                + json
                + "'?"
                + help,
            "submit",
            "greeter",
            json),
        refusal(
            "payload as a bare word",
            2,
            "producer submit: Unmatched argument at index 3: '[\"it's\"]'; did you mean --payload"
                + " '[\"it'\\''s\"]'?"
                + help,
            "submit",
            "--task",
            "greeter",
            "[\"it's\"]"),
        refusal(
            "unknown option",
            2,
            "producer submit: Unknown option: '--bogus'" + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--bogus"),
        refusal(
            "malformed JSON",
            2,
            "producer submit: payload is not valid JSON: Unexpected character ('}' (code 125)):"
                + " expected a value at line 1, column 9: pass a JSON value such as"
                + " {\"name\":\"Ada\"}",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "{\"name\":}"),
        refusal(
            "unknown task",
            4,
            "producer submit: unknown task 'nosuch': no module is registered under that name;"
                + " upload one with 'registry upload --name nosuch FILE.wasm' or see 'registry"
                + " list'",
            "submit",
            "--task",
            "nosuch",
            "--payload",
            json),
        refusal(
            "oversize payload",
            2,
            "producer submit: payload is 1048577 bytes; the limit is 1048576"
                + " (TASK_QUEUE_MAX_PAYLOAD_BYTES)",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "\"" + "a".repeat((1 << 20) - 1) + "\""),
        refusal(
            "missing payload file",
            2,
            "producer submit: payload file 'no/such.json' does not exist: check the path after"
                + " '@', or pass --payload - for stdin",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "@no/such.json"),
        refusal(
            "payload file is a directory",
            2,
            "producer submit: payload file '.' is a directory: name the file that holds the JSON"
                + " payload",
            "submit",
            "--task",
            "greeter",
            "--payload",
            "@."),
        refusal(
            "bad duration",
            2,
            "producer submit: Invalid value for option '--timeout': '30 sec' is not a duration:"
                + " use a number and a unit, such as 500ms, 30s, 5m or 2h"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--timeout",
            "30 sec"),
        refusal(
            "timeout out of range",
            2,
            "producer submit: timeout 25h is out of range: give a duration from 10ms to 24h,"
                + " such as 30s or 5m",
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--timeout",
            "25h"),
        refusal(
            "retries not a number",
            2,
            "producer submit: Invalid value for option '--max-retries': 'many' is not an int"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--max-retries",
            "many"),
        refusal(
            "retry backoff without a cap",
            2,
            "producer submit: Invalid value for option '--retry-backoff': retry backoff '1s' is"
                + " not BASE..CAP: give two durations, such as 1s..5m"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--retry-backoff",
            "1s"),
        refusal(
            "retry backoff not durations",
            2,
            "producer submit: Invalid value for option '--retry-backoff': retry backoff '1 s..5m'"
                + " is not BASE..CAP: give two durations such as 500ms, 30s, 5m or 2h, as in 1s..5m"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--retry-backoff",
            "1 s..5m"),
        refusal(
            "retry backoff cap below its base",
            2,
            "producer submit: Invalid value for option '--retry-backoff': retry backoff 5m..1s:"
                + " the cap must be at least the base"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--retry-backoff",
            "5m..1s"),
        refusal(
            "retry backoff base out of range",
            2,
            "producer submit: Invalid value for option '--retry-backoff': retry backoff"
                + " '2h..3h': the base must be a duration such as 500ms, 30s, 5m, 2h or 7d, from"
                + " 0s to 1h, as for TASK_QUEUE_RETRY_BACKOFF_BASE"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--retry-backoff",
            "2h..3h"),
        refusal(
            "retry backoff cap out of range",
            2,
            "producer submit: Invalid value for option '--retry-backoff': retry backoff"
                + " '1s..99999999999d': the cap must be a duration such as 500ms, 30s, 5m, 2h or"
                + " 7d, from 0s to 7d, as for TASK_QUEUE_RETRY_BACKOFF_CAP"
                + help,
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--retry-backoff",
            "1s..99999999999d"),
        refusal(
            "bad queue",
            2,
            "producer submit: queue name 'a:b' is invalid: use 1-64 letters, digits, '_', '.' or"
                + " '-', starting with a letter or digit",
            "submit",
            "--task",
            "greeter",
            "--payload",
            json,
            "--queue",
            "a:b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithOneLineAndWritesNothing(
      String label, int exitCode, String message, String[] args) {
    Map<String, Object> before = f.state();

    CliRun run = cli.run("", args);

    assertEquals(message + (exitCode == 4 ? cli.lookedIn() : "") + "\n", run.stderr());
    assertEquals(exitCode, run.exitCode());
    assertEquals("", run.out());
    assertEquals(before, f.state());
  }

  @Test
  void readsAnEndlessStdinOnlyUpToTheLimit(TestRedis redis) {
    CliFixture small = new CliFixture(redis, dir, "TASK_QUEUE_MAX_PAYLOAD_BYTES=64");
    Endless stdin = new Endless();
    Map<String, Object> before = f.state();

    CliRun run = small.run(stdin, "submit", "--task", "greeter");

    assertEquals(2, run.exitCode());
    assertEquals(
        "producer submit: payload on standard input is more than 64 bytes; the limit is 64"
            + " (TASK_QUEUE_MAX_PAYLOAD_BYTES)\n",
        run.stderr());
    assertTrue(stdin.served <= 65, stdin.served + " bytes read");
    assertEquals(before, f.state());
  }

  @Test
  void refusesStdinThatIsNotUtf8() {
    CliRun run =
        CliRun.of(
            cli.command(),
            new ByteArrayInputStream(new byte[] {'"', (byte) 0xff, '"'}),
            cli.withSettings("submit", "--task", "greeter"));

    assertEquals(2, run.exitCode());
    assertEquals(
        "producer submit: payload on standard input is not UTF-8 text (bad byte at offset 1):"
            + " JSON payloads must be UTF-8\n",
        run.stderr());
  }

  private Map<String, String> taskHash(String queue, CliRun run) {
    return f.hash(f.keys.task(queue, TaskId.parse(run.out().strip())));
  }

  private static Arguments refusal(String label, int exitCode, String message, String... args) {
    return Arguments.of(label, exitCode, message, args);
  }

  /** Standard input that never ends: whoever reads it all never returns. */
  private static final class Endless extends InputStream {
    long served;

    @Override
    public int read() {
      served++;
      return ' ';
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      Arrays.fill(buffer, offset, offset + length, (byte) ' ');
      served += length;
      return length;
    }
  }
}
