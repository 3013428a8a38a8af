package dev.taskqueue.submission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.task.ShapeField;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A submit is one round trip once its client knows the queue, and what {@link
 * TaskSubmitter#submitAll} queues, in which order and calls, and what it refuses.
 */
@ExtendWith(RedisExtension.class)
class SubmitAllTest {
  private ModuleFixture f;
  private TaskSubmitter submitter;
  private TestRedis redis;
  private ModuleVersion v1;

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    f = new ModuleFixture(redis);
    submitter = newSubmitter();
    v1 = f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm").version();
  }

  private TaskSubmitter newSubmitter() {
    Config config = Config.builder().withoutEnvFile().withEnvironment(Map.of()).build();
    return new TaskSubmitter(config, f.store, f.enqueuer, f.clock);
  }

  @Test
  void aSubmitToAKnownQueueIsOneScriptCallPinningTheNewestVersion() throws IOException {
    submitter.submit(greeter("default"));
    ModuleVersion v2 = f.publisher.publish("greeter", ModuleFixture.V2, "greeter.wasm").version();

    List<List<String>> sent;
    TaskId id;
    try (Resp monitor = Resp.connect(redis.port());
        Resp marker = Resp.connect(redis.port())) {
      monitor.send("MONITOR");
      id = submitter.submit(greeter("default"));
      marker.send("GET", redis.prefix() + ":end");
      sent = monitor.monitoredUntil(redis.prefix() + ":end");
    }

    List<String> fromClient =
        sent.stream().filter(c -> c.get(0).equals("client")).map(c -> c.get(1)).toList();
    assertEquals(List.of("evalsha"), fromClient.stream().map(String::toLowerCase).toList());
    Map<String, String> hash = ShapeField.expand(f.hash(f.keys.task("default", id)));
    assertEquals(v2.digest(), hash.get("module_digest"), "the upload was announced to the queue");
    assertEquals("2", hash.get("module_version"));
  }

  @Test
  void aQueueThatKnowsNoVersionLearnsItFromTheRegistry() {
    f.enqueuer.registerQueue("later"); // after the upload: not announced to it

    TaskId id = submitter.submit(greeter("later"));

    assertEquals(
        v1.digest(), ShapeField.expand(f.hash(f.keys.task("later", id))).get("module_digest"));
    assertEquals(Map.of("greeter", "1 " + v1.digest()), f.hash(f.keys.modules("later")), "learned");
  }

  @Test
  void anUnknownOrRemovedTaskNameWritesNothing() {
    submitter.submit(greeter("default"));
    f.remover.remove("greeter", true);
    Map<String, Object> before = f.state();

    NotFoundException unknown =
        assertThrows(NotFoundException.class, () -> submitter.submit(greeter("default")));

    assertEquals(
        "unknown task 'greeter': no module is registered under that name; upload one with"
            + " 'registry upload --name greeter FILE.wasm' or see 'registry list'",
        unknown.getMessage());
    assertEquals(before, f.state());
  }

  @Test
  void aScheduledSubmitWaitsInTheScheduledSet() {
    TaskId id =
        submitter.submit(
            Submission.builder("greeter", "{}")
                .withRunAt(f.clock.instant().plus(Duration.ofMinutes(5)))
                .build());

    Map<String, String> hash = f.hash(f.keys.task("default", id));
    assertEquals("scheduled", hash.get("stage"));
    assertEquals(
        Map.of(id.value(), (double) f.clock.instant().plus(Duration.ofMinutes(5)).toEpochMilli()),
        f.state().get(f.keys.scheduled("default")));
  }

  @Test
  void aBatchIsQueuedInOrderAcrossQueuesAndChunks() {
    List<Submission> batch = new ArrayList<>();
    for (int i = 0; i < TaskSubmitter.CHUNK + 5; i++) {
      batch.add(Submission.builder("greeter", "{\"i\":" + i + "}").build());
      if (i % 100 == 0) {
        batch.add(greeter("other"));
      }
    }

    List<TaskId> ids = submitter.submitAll(batch);

    assertEquals(batch.size(), ids.size());
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> hash = f.hash(f.keys.task(batch.get(i).queue(), ids.get(i)));
      assertEquals(batch.get(i).payload(), hash.get("payload"), "entry " + i);
    }
    List<String> defaultIds =
        IntStream.range(0, ids.size())
            .filter(i -> batch.get(i).queue().equals("default"))
            .mapToObj(i -> ids.get(i).value())
            .toList();
    @SuppressWarnings("unchecked")
    List<String> pending = new ArrayList<>((List<String>) f.state().get(f.keys.pending("default")));
    Collections.reverse(pending);
    assertEquals(defaultIds, pending, "workers take them in the order given");
  }

  /** Payloads of 1 MiB, the largest accepted by default: eight a call, each sent and queued. */
  @Test
  void aBatchOfLargePayloadsIsSentInCallsOfTheirCharactersAndQueuedInOrder() {
    String mib = "\"" + "x".repeat((1 << 20) - 2) + "\"";
    List<Submission> batch = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      batch.add(Submission.builder("greeter", mib).build());
    }

    List<TaskId> ids = submitter.submitAll(batch);

    @SuppressWarnings("unchecked")
    List<String> pending = new ArrayList<>((List<String>) f.state().get(f.keys.pending("default")));
    Collections.reverse(pending);
    assertEquals(ids.stream().map(TaskId::value).toList(), pending, "each once, in order");
    assertEquals(mib, f.hash(f.keys.task("default", ids.get(16))).get("payload"));
  }

  @Test
  void oneBadEntryIsNamedAndNothingIsWritten() {
    Map<String, Object> before = f.state();
    List<Submission> batch =
        List.of(greeter("default"), greeter("default"), Submission.builder("nosuch", "{}").build());

    NotFoundException unknown =
        assertThrows(NotFoundException.class, () -> submitter.submitAll(batch));
    InvalidInputException invalid =
        assertThrows(
            InvalidInputException.class,
            () ->
                submitter.submitAll(
                    List.of(greeter("default"), Submission.builder("greeter", "{").build())));

    assertTrue(
        unknown.getMessage().startsWith("entry 2: unknown task 'nosuch'"), unknown.getMessage());
    assertTrue(
        invalid.getMessage().startsWith("entry 1: payload is not valid JSON"),
        invalid.getMessage());
    assertEquals(before, f.state());
  }

  @Test
  void anUnknownNameInALaterChunkWritesNothingEither() {
    List<Submission> batch = new ArrayList<>();
    for (int i = 0; i < TaskSubmitter.CHUNK + 1; i++) {
      batch.add(greeter("default"));
    }
    batch.add(Submission.builder("nosuch", "{}").build());
    Map<String, Object> before = f.state();

    assertThrows(NotFoundException.class, () -> submitter.submitAll(batch));

    assertEquals(before, f.state());
  }

  @Test
  void aModuleRemovedBeforeALaterCallRanIsNamedWithWhatWasQueued() {
    List<Submission> batch = new ArrayList<>();
    for (int i = 0; i < TaskSubmitter.CHUNK + 1; i++) {
      batch.add(greeter("default"));
    }
    f.publisher.publish("wordcount", ModuleFixture.V2, "wordcount.wasm");
    batch.add(Submission.builder("wordcount", "{}").build());
    batch.add(greeter("default"));
    // As if the version were removed after this client read the registry: only the queue knows.
    f.client.getMap(f.keys.retired("default")).put("wordcount", "1");

    NotFoundException removed =
        assertThrows(NotFoundException.class, () -> submitter.submitAll(batch));

    assertEquals(
        "entry "
            + (TaskSubmitter.CHUNK + 1)
            + ": unknown task 'wordcount': its module (v1) was removed from the registry while the"
            + " task was being submitted; the "
            + TaskSubmitter.CHUNK
            + " tasks sent before it were queued, it and the rest were not; see 'registry list'",
        removed.getMessage());
    assertEquals(
        TaskSubmitter.CHUNK,
        ((List<?>) f.state().get(f.keys.pending("default"))).size(),
        "the first call's, none of the second's");
  }

  private static Submission greeter(String queue) {
    return Submission.builder("greeter", "{}").withQueue(queue).build();
  }
}
