package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.Attempt;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskHash;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** replay_dead.lua and the dead-letter side of trim_ended.lua, through {@link DeadLetters}. */
@ExtendWith(RedisExtension.class)
class DeadLettersTest {
  private LeaseFixture f;
  private DeadLetters dlq;
  private NewTask dead;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    dlq = new DeadLetters(f.session.redis(), f.keys, f.clock);
    dead = kill(f.tasks.greeter("{\"n\":1}"));
  }

  /** Submits a task with no retries and fails its one attempt. */
  private NewTask kill(NewTask task) {
    NewTask once = Tasks.withRetries(task, 0, Tasks.BACKOFF);
    Lease lease = f.enqueueAndClaim(once).lease();
    f.recorder.fail(lease, "trap: unreachable", Optional.of("/logs/" + once.id() + ".log"));
    return once;
  }

  /** The marker names the front, not the replayed task behind it, and holds nothing else. */
  @Test
  void aReplayBehindWaitingTasksWakesAWorkerForTheFront() {
    NewTask waiting = f.tasks.greeter("{\"n\":2}");
    f.enqueuer.enqueue(waiting);

    assertEquals(DeadLetters.Replay.REPLAYED, dlq.replay("default", dead.id()));

    Map<String, Object> state = f.state();
    assertEquals(
        List.of(dead.id().value(), waiting.id().value()), state.get(f.keys.pending("default")));
    assertEquals(Map.of(waiting.id().value(), 0.0), state.get(f.keys.marker("default")));
  }

  @Test
  void aReplayedTaskStartsAfreshAtTheEndOfPendingWithItsHistoryKept() {
    f.clock.advance(Duration.ofMinutes(5));
    Map<String, String> before = f.hash(f.keys.task("default", dead.id()));

    assertEquals(DeadLetters.Replay.REPLAYED, dlq.replay("default", dead.id()));

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.dlq("default")));
    assertEquals(List.of(dead.id().value()), state.get(f.keys.pending("default")));
    assertEquals(
        Map.of(dead.id().value(), 0.0),
        state.get(f.keys.marker("default")),
        "the marker names the task at the front, for a woken worker to claim at once");
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")), "open again");
    Map<String, String> hash = f.hash(f.keys.task("default", dead.id()));
    assertEquals("pending", hash.get("stage"));
    assertEquals("0", hash.get("attempts"));
    assertEquals(Long.toString(f.clock.millis()), hash.get("replayed_at"));
    assertEquals(
        Long.toString(f.clock.millis()),
        hash.get("replayed:" + before.get("lease_token")),
        "each replay's time, after the attempt it follows");
    assertNull(hash.get("error"));
    assertNull(hash.get("finished_at"));
    assertNull(hash.get("worker_id"));
    assertNull(hash.get("worker_host"));
    assertNull(hash.get("started_at"));
    assertNull(hash.get("log_path"));
    assertEquals(
        before.get("lease_token"), hash.get("lease_token"), "the fencing token never goes back");
    assertEquals(before.get("payload"), hash.get("payload"));
    assertEquals(before.get("module_digest"), hash.get("module_digest"));
    assertEquals(before.get("attempt:1"), hash.get("attempt:1"), "the history stays");
    assertEquals(
        List.of(Optional.of(f.clock.instant())),
        TaskHash.read(hash).history().stream().map(Attempt::replayedAfter).toList());

    Lease again = f.claimOne("default", "w2").lease();
    assertEquals(2, again.token(), "its next attempt has a token of its own");
    assertEquals("1", f.hash(f.keys.task("default", dead.id())).get("attempts"));
  }

  @Test
  void aSecondReplayFindsTheTaskNoLongerDead() {
    dlq.replay("default", dead.id());
    Map<String, Object> once = f.state();

    assertEquals(DeadLetters.Replay.NOT_DEAD, dlq.replay("default", dead.id()));

    assertEquals(once, f.state());
  }

  @Test
  void anUnknownTaskIsSaidToBeUnknown() {
    Map<String, Object> before = f.state();

    assertEquals(
        DeadLetters.Replay.NO_SUCH_TASK,
        dlq.replay("default", new TaskId("019b0000-0000-7000-8000-000000000000")));

    assertEquals(before, f.state());
  }

  @Test
  void aTaskWhoseModuleWasRemovedIsNotReplayed() {
    f.client.getMap(f.keys.retired("default")).put("greeter", "1");
    Map<String, Object> before = f.state();

    assertEquals(DeadLetters.Replay.MODULE_REMOVED, dlq.replay("default", dead.id()));

    assertEquals(before, f.state());
  }

  /** A fixed module uploaded since the task died: its queue knows it as version 2. */
  private static final String FIXED =
      "sha256:3b5d5c3712955042212316173ccf37be800e3d0e0f2cd8d9e8a1ae0ee65f3c2c";

  private void uploadFixedVersion() {
    f.client.getMap(f.keys.modules("default")).put("greeter", "2 " + FIXED);
  }

  @Test
  void aReplayOnTheNewestVersionRunsTheFixedModuleWithTheRestOfItsShapeKept() {
    uploadFixedVersion();
    Task before = TaskHash.read(f.hash(f.keys.task("default", dead.id())));

    DeadLetters.Replayed replayed = dlq.replay("default", dead.id(), DeadLetters.Version.NEWEST);

    assertEquals(new DeadLetters.Replayed(DeadLetters.Replay.REPLAYED, 1, 2), replayed);
    assertTrue(replayed.upgraded());
    Task after = TaskHash.read(f.hash(f.keys.task("default", dead.id())));
    assertEquals(FIXED, after.moduleDigest());
    assertEquals(2, after.moduleVersion());
    assertEquals(
        List.of(
            before.queue(),
            before.kind(),
            before.maxRetries(),
            before.retryBackoff(),
            before.timeout()),
        List.of(
            after.queue(), after.kind(), after.maxRetries(), after.retryBackoff(), after.timeout()),
        "only the module changed");
    assertEquals(Stage.PENDING, after.stage());
    assertEquals(List.of(dead.id().value()), f.state().get(f.keys.pending("default")));
    assertEquals(
        List.of(OptionalInt.of(2)),
        after.history().stream().map(Attempt::replayedOnto).toList(),
        "the history says the replay moved it to version 2");
  }

  @Test
  void aReplayKeepsItsVersionUnlessAsked() {
    Map<String, String> pinned = f.hash(f.keys.task("default", dead.id()));
    uploadFixedVersion();

    DeadLetters.Replayed kept = dlq.replay("default", dead.id(), DeadLetters.Version.KEPT);

    assertEquals(new DeadLetters.Replayed(DeadLetters.Replay.REPLAYED, 1, 1), kept);
    assertFalse(kept.upgraded());
    Map<String, String> hash = f.hash(f.keys.task("default", dead.id()));
    assertEquals(pinned.get("shape"), hash.get("shape"));
    assertNull(hash.get("replayed_version:" + pinned.get("lease_token")));
  }

  @Test
  void withNoNewerVersionTheNewestIsItsOwn() {
    Map<String, String> pinned = f.hash(f.keys.task("default", dead.id()));
    assertEquals(
        "1 " + Tasks.DIGEST,
        f.client.getMap(f.keys.modules("default")).get("greeter"),
        "its queue knows the version it was submitted with");

    DeadLetters.Replayed replayed = dlq.replay("default", dead.id(), DeadLetters.Version.NEWEST);

    assertEquals(new DeadLetters.Replayed(DeadLetters.Replay.REPLAYED, 1, 1), replayed);
    assertEquals(pinned.get("shape"), f.hash(f.keys.task("default", dead.id())).get("shape"));
  }

  @Test
  void aTaskWhoseVersionWasRemovedIsReplayedOnANewerOneOnlyWhenAsked() {
    f.client.getMap(f.keys.retired("default")).put("greeter", "1");
    uploadFixedVersion();
    Map<String, Object> before = f.state();

    assertEquals(
        new DeadLetters.Replayed(DeadLetters.Replay.MODULE_REMOVED, 1, 1),
        dlq.replay("default", dead.id(), DeadLetters.Version.KEPT));
    assertEquals(before, f.state());

    assertEquals(
        new DeadLetters.Replayed(DeadLetters.Replay.REPLAYED, 1, 2),
        dlq.replay("default", dead.id(), DeadLetters.Version.NEWEST));
  }

  @Test
  void whenTheNewestVersionWasRemovedTooNothingChanges() {
    uploadFixedVersion();
    f.client.getMap(f.keys.retired("default")).put("greeter", "2");
    Map<String, Object> before = f.state();

    assertEquals(
        new DeadLetters.Replayed(DeadLetters.Replay.MODULE_REMOVED, 1, 2),
        dlq.replay("default", dead.id(), DeadLetters.Version.NEWEST));

    assertEquals(before, f.state());
  }

  @Test
  void listsNewestFirstAndPurgesOnlyWhatDiedBeforeTheCutoff() {
    f.clock.advance(Duration.ofDays(2));
    NewTask younger = kill(f.tasks.greeter("{\"n\":2}"));

    assertEquals(List.of(younger.id().value(), dead.id().value()), dlq.ids("default", 10));
    assertEquals(2, dlq.count("default"));

    List<EndedTasks.Deleted> purged =
        dlq.purge("default", f.clock.instant().minus(Duration.ofDays(1)));

    assertEquals(
        List.of(
            new EndedTasks.Deleted(dead.id().value(), Optional.of("/logs/" + dead.id() + ".log"))),
        purged);
    Map<String, Object> state = f.state();
    assertEquals(List.of(younger.id().value()), state.get(f.keys.dlq("default")));
    assertNull(state.get(f.keys.task("default", dead.id())));
  }
}
