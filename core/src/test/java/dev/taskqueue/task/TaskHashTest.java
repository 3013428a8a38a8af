package dev.taskqueue.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 12, item 9: what is read from Redis is checked as strictly as a submission. */
class TaskHashTest {
  private static final String ID = "0193f6a2-7c1e-7d4a-9b2f-3e5d6c7b8a90";

  private static Map<String, String> valid() {
    Map<String, String> hash = new HashMap<>();
    hash.put("id", ID);
    hash.put("queue", "default");
    hash.put("name", "greeter");
    hash.put("module_digest", "sha256:" + "ab".repeat(32));
    hash.put("module_version", "3");
    hash.put("kind", "immediate");
    hash.put("stage", "pending");
    hash.put("payload", "{}");
    hash.put("attempts", "0");
    hash.put("max_retries", "3");
    hash.put("timeout_ms", "30000");
    hash.put("created_at", "1767225600000");
    hash.put("lease_token", "0");
    return hash;
  }

  @Test
  void readsAValidHash() {
    Task task = TaskHash.read(valid());

    assertEquals(new TaskId(ID), task.id());
    assertEquals("greeter", task.name());
    assertEquals(3, task.moduleVersion());
    assertEquals(Stage.PENDING, task.stage());
  }

  /** What a task shares with its submission's others is one JSON field, {@code shape}. */
  @Test
  void readsAHashWhoseSharedFieldsAreItsShape() {
    Map<String, String> hash = valid();
    for (String field : ShapeField.FIELDS) {
      hash.remove(field);
    }
    hash.put(
        "shape",
        "{\"queue\":\"default\",\"module_digest\":\"sha256:"
            + "ab".repeat(32)
            + "\",\"module_version\":3,\"kind\":\"immediate\",\"max_retries\":2,"
            + "\"retry_backoff_base_ms\":10,\"retry_backoff_cap_ms\":20,\"timeout_ms\":5000}");

    Task task = TaskHash.read(hash);

    assertEquals("default", task.queue());
    assertEquals(3, task.moduleVersion());
    assertEquals(2, task.maxRetries());
    assertEquals(java.time.Duration.ofMillis(20), task.retryBackoff().cap());
    assertEquals(java.time.Duration.ofSeconds(5), task.timeout());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json | its field 'shape' holds 'not json', which is not the JSON of a task's shape",
        "[1] | its field 'shape' holds '[1]', which is not the JSON of a task's shape",
        "{} | it lacks the field 'queue'",
        "{\"queue\":\"../x\"} | its field 'queue' holds '../x', which is not a queue name"
      })
  void aShapeThatCannotBeReadIsCorrupt(String shape, String problem) {
    Map<String, String> hash = valid();
    for (String field : ShapeField.FIELDS) {
      hash.remove(field);
    }
    hash.put("shape", shape);

    CorruptTaskException e = assertThrows(CorruptTaskException.class, () -> TaskHash.read(hash));

    assertEquals("task hash '" + ID + "' is corrupt: " + problem, e.getMessage());
  }

  /**
   * A task's first attempt that completed keeps no record: the hash is its record. A record, where
   * there is one, is the attempt's, and counts once.
   */
  @Test
  void aCompletedTaskWithoutARecordOfItsAttemptHasTheHashAsTheRecord() {
    Map<String, String> hash = completed();

    assertEquals(
        List.of(
            new Attempt(
                1,
                4,
                "completed",
                Optional.of(Instant.ofEpochMilli(1767225600100L)),
                Instant.ofEpochMilli(1767225600200L),
                Optional.of("w1"),
                Optional.of("h1"),
                Optional.empty(),
                Optional.of("/logs/greeter/x.log"),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty())),
        TaskHash.read(hash).history());
    hash.put(
        "attempt:4",
        "{\"attempt\":1,\"outcome\":\"completed\",\"ended_at\":1767225600200,\"worker\":\"w1\"}");
    assertEquals(
        List.of(Optional.<String>empty()),
        TaskHash.read(hash).history().stream().map(Attempt::logPath).toList(),
        "a record, where there is one, is the attempt's");
  }

  /**
   * A claim never sends an attempt's record ({@code claim.lua}), so a claimed task is read without
   * looking for them: the same task otherwise, checked as strictly.
   */
  @Test
  void aClaimedTaskIsReadWithoutItsHistory() {
    Map<String, String> hash = valid();
    hash.put(
        "attempt:1",
        "{\"attempt\":1,\"outcome\":\"failed\",\"ended_at\":1767225600200,\"worker\":\"w1\"}");
    Task full = TaskHash.read(hash);
    Task claimed = TaskHash.readClaimed(hash);

    assertEquals(1, full.history().size());
    assertEquals(List.of(), claimed.history());
    assertEquals(
        full.toString().replace(full.history().toString(), "[]"),
        claimed.toString(),
        "everything but the history is read alike");
    hash.put("module_version", "three");
    assertEquals(
        assertThrows(CorruptTaskException.class, () -> TaskHash.read(hash)).getMessage(),
        assertThrows(CorruptTaskException.class, () -> TaskHash.readClaimed(hash)).getMessage());
  }

  private static Map<String, String> completed() {
    Map<String, String> hash = valid();
    hash.put("stage", "completed");
    hash.put("attempts", "1");
    hash.put("lease_token", "4");
    hash.put("started_at", "1767225600100");
    hash.put("finished_at", "1767225600200");
    hash.put("worker_id", "w1");
    hash.put("worker_host", "h1");
    hash.put("log_path", "/logs/greeter/x.log");
    return hash;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "name|../../../../tmp/x|which is not a task name",
        "name|a/b|which is not a task name",
        "queue|{x}|which is not a queue name",
        "id|../x|which is not a task id",
        "module_digest|sha256:zz|which is not a module digest",
        "module_digest|sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB|"
            + "which is not a module digest",
        "module_digest|sha512:abababababababababababababababababababababababababababababababab|"
            + "which is not a module digest",
        "stage|sleeping|which is not a stage",
        "kind|later|which is not a kind of task",
        "attempts|-1|which is not a whole number >= 0",
        "timeout_ms|soon|which is not a whole number >= 0",
        "created_at|1e3|which is not a whole number >= 0",
      })
  void refusesAFieldThatIsNotWhatTaskQueueWrites(String field, String value, String why) {
    Map<String, String> hash = valid();
    hash.put(field, value);

    CorruptTaskException error =
        assertThrows(CorruptTaskException.class, () -> TaskHash.read(hash));

    String id = field.equals("id") ? value : ID;
    assertEquals(
        "task hash '"
            + id
            + "' is corrupt: its field '"
            + field
            + "' holds '"
            + value
            + "', "
            + why,
        error.getMessage());
  }

  @Test
  void namesAMissingField() {
    Map<String, String> hash = valid();
    hash.remove("timeout_ms");

    assertEquals(
        "task hash '" + ID + "' is corrupt: it lacks the field 'timeout_ms'",
        assertThrows(CorruptTaskException.class, () -> TaskHash.read(hash)).getMessage());
  }

  @Test
  void quotesWhatItReadsShortAndWithoutControlCharacters() {
    Map<String, String> hash = valid();
    hash.put("name", "x\n".repeat(100));

    String message =
        assertThrows(CorruptTaskException.class, () -> TaskHash.read(hash)).getMessage();

    assertEquals(
        "task hash '"
            + ID
            + "' is corrupt: its field 'name' holds '"
            + "x?".repeat(40)
            + "...',"
            + " which is not a task name",
        message);
  }
}
