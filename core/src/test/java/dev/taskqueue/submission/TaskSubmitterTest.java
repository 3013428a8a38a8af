package dev.taskqueue.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Setting;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.task.Kind;
import dev.taskqueue.task.RetryBackoff;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link TaskSubmitter#submit} refuses, with which message, and that it then wrote nothing.
 */
@ExtendWith(RedisExtension.class)
class TaskSubmitterTest {
  private static final int LIMIT = 1 << 20;
  private static final String AS_IN = ": pass a JSON value such as {\"name\":\"Ada\"}";
  private static final String NAME_RULE =
      " is invalid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit";

  private ModuleFixture f;
  private TaskSubmitter client;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new ModuleFixture(redis);
    client = submitter(Map.of());
    f.publisher.publish("greeter", "greeter v1".getBytes(StandardCharsets.UTF_8), "greeter.wasm");
  }

  private TaskSubmitter submitter(Map<Setting<?>, String> overrides) {
    Config.Builder config = Config.builder().withoutEnvFile().withEnvironment(Map.of());
    overrides.forEach((setting, raw) -> config.withOverride(setting, raw, "the test"));
    return new TaskSubmitter(config.build(), f.store, f.enqueuer, f.clock);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "unknown task",
            Submission.builder("nosuch", "{}").build(),
            NotFoundException.class,
            "unknown task 'nosuch': no module is registered under that name; upload one with"
                + " 'registry upload --name nosuch FILE.wasm' or see 'registry list'"),
        invalid(
            "malformed JSON",
            greeter("{\"name\":}"),
            "payload is not valid JSON: Unexpected character ('}' (code 125)): expected a value"
                + " at line 1, column 9"
                + AS_IN),
        invalid(
            "unclosed object",
            greeter("{\"name\":\"Ada\""),
            "payload is not valid JSON: Unexpected end-of-input: expected close marker for Object"
                + " at line 1, column 14"
                + AS_IN),
        invalid(
            "bare word on line 2",
            greeter("{\"a\":\n  yes}"),
            "payload is not valid JSON: Unrecognized token 'yes': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false') at line 2, column 6"
                + AS_IN),
        invalid(
            "long bare word",
            greeter("x".repeat(100_000)),
            "payload is not valid JSON: Unrecognized token '"
                + "x".repeat(40)
                + "...': was expecting (JSON String, Number, Array, Object or token 'null',"
                + " 'true' or 'false') at line 1, column 41"
                + AS_IN),
        invalid("empty payload", greeter(" \n"), "payload is empty" + AS_IN),
        invalid(
            "two values",
            greeter("{} {}"),
            "payload holds more than one JSON value: another starts at line 1, column 4; wrap"
                + " them in an array or an object"),
        invalid(
            "nested too deep",
            greeter("[".repeat(1001) + "]".repeat(1001)),
            "payload nests arrays and objects more than 1000 levels deep: flatten it"),
        invalid(
            "oversize payload by one byte",
            greeter(jsonString(LIMIT + 1)),
            "payload is 1048577 bytes; the limit is 1048576 (TASK_QUEUE_MAX_PAYLOAD_BYTES)"),
        invalid(
            "unpaired surrogate",
            greeter("\"\ud800\""),
            "payload holds an unpaired UTF-16 surrogate at index 1: it has no UTF-8 form; pass"
                + " valid Unicode text"),
        invalid(
            "no memory pages",
            Submission.builder("greeter", "{}").withMemoryPages(0).build(),
            "memory pages 0 is out of range: give 1 to 65536 (64 KiB each)"),
        invalid(
            "a negative output cap",
            Submission.builder("greeter", "{}").withMaxOutputBytes(-1).build(),
            "max output -1 is out of range: give 0 to 1073741824 bytes"),
        invalid(
            "a result cap over 64 MiB",
            Submission.builder("greeter", "{}").withMaxResultBytes((64L << 20) + 1).build(),
            "max result 67108865 is out of range: give 0 to 67108864 bytes"),
        invalid(
            "bad queue name",
            Submission.builder("greeter", "{}").withQueue("no spaces").build(),
            "queue name 'no spaces'" + NAME_RULE),
        invalid(
            "bad task name",
            Submission.builder("../greeter", "{}").build(),
            "task name '../greeter'" + NAME_RULE),
        invalid(
            "negative retries",
            Submission.builder("greeter", "{}").withMaxRetries(-1).build(),
            "max retries -1 is out of range: give 0 to 100 (how often a failed task is tried"
                + " again)"),
        invalid(
            "too many retries",
            Submission.builder("greeter", "{}").withMaxRetries(101).build(),
            "max retries 101 is out of range: give 0 to 100 (how often a failed task is tried"
                + " again)"),
        invalid(
            "timeout too short",
            Submission.builder("greeter", "{}").withTimeout(Duration.ofMillis(9)).build(),
            "timeout 9ms is out of range: give a duration from 10ms to 24h, such as 30s or 5m"),
        invalid(
            "timeout too long",
            Submission.builder("greeter", "{}").withTimeout(Duration.ofHours(25)).build(),
            "timeout 25h is out of range: give a duration from 10ms to 24h, such as 30s or 5m"),
        invalid(
            "backoff too long",
            Submission.builder("greeter", "{}")
                .withRetryBackoff(new RetryBackoff(Duration.ofHours(2), Duration.ofDays(8)))
                .build(),
            "retry backoff 2h..8d is out of range: the base may be up to 1h and the cap up to 7d,"
                + " such as 1s..5m"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesAndWritesNothing(
      String label,
      Submission submission,
      Class<? extends TaskQueueException> type,
      String message) {
    Map<String, Object> before = f.state();

    TaskQueueException error = assertThrows(type, () -> client.submit(submission));

    assertEquals(message, error.getMessage());
    assertTrue(error.getMessage().length() < 300, "an error never quotes the whole payload");
    assertEquals(before, f.state());
  }

  @Test
  void acceptsEveryBoundaryValue() {
    List<Submission> edges =
        List.of(
            greeter(jsonString(LIMIT)),
            greeter("[".repeat(1000) + "]".repeat(1000)),
            greeter("42"),
            greeter("null"),
            greeter("\"text\""),
            Submission.builder("greeter", "{}").withMaxRetries(0).build(),
            Submission.builder("greeter", "{}").withMaxRetries(100).build(),
            Submission.builder("greeter", "{}").withTimeout(Duration.ofMillis(10)).build(),
            Submission.builder("greeter", "{}").withTimeout(Duration.ofHours(24)).build(),
            Submission.builder("greeter", "{}").withQueue("a." + "q".repeat(62)).build());

    edges.forEach(client::submit);

    assertEquals(edges.size() - 1, (int) Long.parseLong(open("default")));
  }

  /** Issue 16: a task's own limits are stored with it, as one field, and read back. */
  @Test
  void aTasksOwnLimitsAreStoredWithIt() {
    TaskId capped =
        client.submit(
            Submission.builder("greeter", "{}")
                .withMemoryPages(16)
                .withMaxOutputBytes(4096)
                .withMaxResultBytes(1)
                .build());
    TaskId plain = client.submit(greeter("{}"));

    Map<String, String> hash = f.hash(f.keys.task("default", capped));
    assertEquals(
        "{\"memory_pages\":16,\"max_output_bytes\":4096,\"max_result_bytes\":1}",
        hash.get("limits"));
    assertEquals(
        new TaskLimits(OptionalInt.of(16), OptionalLong.of(4096), OptionalLong.of(1)),
        TaskHash.read(hash).limits());
    assertEquals(null, f.hash(f.keys.task("default", plain)).get("limits"), "none: no field");
  }

  /**
   * A task to run a while from now is due that while after its submit, however long the caller took
   * to get there: `producer submit --in 1s` on a slow machine spent more than a second connecting,
   * and was refused as "not in the future".
   */
  @Test
  void aRunInIsCountedFromTheSubmit() {
    Submission later = Submission.builder("greeter", "{}").withRunIn(Duration.ofSeconds(1)).build();
    f.clock.advance(Duration.ofSeconds(5)); // the caller was slow

    TaskId id = client.submit(later);

    assertEquals(
        Long.toString(f.clock.millis() + 1000), f.hash(f.keys.task("default", id)).get("run_at"));
  }

  /**
   * A run-at time that has passed by the submit, or a while of zero or less, runs the task now, as
   * Sidekiq's perform_at, Celery's eta and BullMQ's delay do: it was refused as "not in the
   * future".
   */
  @Test
  void aTimeThatHasPassedRunsTheTaskNow() {
    List<Submission> now =
        List.of(
            Submission.builder("greeter", "{}").withRunAt(f.clock.instant()).build(),
            Submission.builder("greeter", "{}")
                .withRunAt(f.clock.instant().minus(Duration.ofDays(400)))
                .build(),
            Submission.builder("greeter", "{}").withRunIn(Duration.ZERO).build(),
            Submission.builder("greeter", "{}").withRunIn(Duration.ofSeconds(-5)).build());

    for (Submission submission : now) {
      Map<String, String> hash = f.hash(f.keys.task("default", client.submit(submission)));
      assertEquals("pending", hash.get("stage"), submission.toString());
      assertEquals(Kind.IMMEDIATE, TaskHash.read(hash).kind(), submission.toString());
      assertEquals(null, hash.get("run_at"), submission.toString());
    }
    assertEquals(null, f.state().get(f.keys.scheduled("default")));
  }

  @Test
  void countsThePayloadInUtf8Bytes() {
    TaskSubmitter small = submitter(Map.of(Settings.MAX_PAYLOAD_BYTES, "16"));
    String sixteen = "\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\""; // 7 x 2 bytes + 2 quotes
    String eighteen = "\"\u00e9\u00e9\u00e9\ud83d\ude00\u00e9\u00e9\u00e9\""; // 6 x 2 + 4 + 2

    small.submit(greeter(sixteen));
    InvalidInputException error =
        assertThrows(InvalidInputException.class, () -> small.submit(greeter(eighteen)));

    assertEquals(
        "payload is 18 bytes; the limit is 16 (TASK_QUEUE_MAX_PAYLOAD_BYTES)", error.getMessage());
  }

  private String open(String queue) {
    @SuppressWarnings("unchecked")
    Map<String, String> open = (Map<String, String>) f.state().get(f.keys.open(queue));
    return open.get("greeter");
  }

  private static Submission greeter(String payload) {
    return Submission.builder("greeter", payload).build();
  }

  /** A JSON string literal of exactly {@code bytes} bytes. */
  private static String jsonString(int bytes) {
    return "\"" + "a".repeat(bytes - 2) + "\"";
  }

  private static Arguments invalid(String label, Submission submission, String message) {
    return Arguments.of(label, submission, InvalidInputException.class, message);
  }
}
