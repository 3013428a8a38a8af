package dev.taskqueue.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.error.ConflictException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.queue.EnqueueResult;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ModuleRemover}: retire_task_name.lua in every queue, then remove_module.lua, and
 * restore_task_name.lua when a queue refuses (issue 12, item 11: no two-step gap).
 */
@ExtendWith(RedisExtension.class)
class ModuleRemoverTest {
  private ModuleFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new ModuleFixture(redis);
  }

  @Test
  void removesEveryVersionAndUnsharedBytesButKeepsSharedOnesAndTheCounter() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    f.publisher.publish("greeter", ModuleFixture.V2, "a.wasm");
    f.publisher.publish("hello", ModuleFixture.V1, "b.wasm");

    ModuleRemover.Removed removed = f.remover.remove("greeter", false);

    assertEquals(2, removed.versions());
    assertEquals(2, removed.newest().version());
    String shared = ModuleDigest.of(ModuleFixture.V1);
    Map<String, Object> state = f.state();
    assertEquals(
        Set.of(
            f.keys.moduleNames(),
            f.keys.moduleSeq(),
            f.keys.moduleVersion("hello", 1),
            f.keys.moduleBlob(shared),
            f.keys.moduleRefs(shared)),
        state.keySet());
    assertEquals(Set.of("hello"), state.get(f.keys.moduleRefs(shared)));
    assertEquals(Map.of("greeter", "2", "hello", "1"), state.get(f.keys.moduleSeq()));
    assertTrue(f.store.latest("greeter").isEmpty());
    assertTrue(f.store.bytes(ModuleDigest.of(ModuleFixture.V2)).isEmpty());
  }

  @Test
  void anUnknownNameIsNotFoundAndNothingChanges() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    Map<String, Object> before = f.state();

    NotFoundException error =
        assertThrows(NotFoundException.class, () -> f.remover.remove("nope", false));

    assertEquals("no module named 'nope' is registered; see 'registry list'", error.getMessage());
    assertEquals(before, f.state());
  }

  @Test
  void refusesWhileTasksAreOpenAndChangesNothing() {
    ModuleVersion v1 = f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm").version();
    f.enqueuer.enqueue(task("default", v1));
    f.enqueuer.enqueue(task("emails", v1));
    f.enqueuer.enqueue(task("emails", v1));
    Map<String, Object> before = f.state();

    ConflictException error =
        assertThrows(ConflictException.class, () -> f.remover.remove("greeter", false));

    assertEquals(
        "module 'greeter' still has open tasks (pending or in progress): default 1, emails 2;"
            + " wait for them to finish, or rerun with --force to remove it anyway, and those"
            + " tasks will then fail when a worker reaches them",
        error.getMessage());
    assertEquals(before, f.state());
  }

  @Test
  void refusesWhileACronScheduleSubmitsItsTasksAndChangesNothing() {
    f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm");
    f.publisher.publish("other", ModuleFixture.V2, "b.wasm");
    f.schedules.add(
        "nightly", Submission.builder("greeter", "{}").build(), "0 2 * * *", "UTC", CatchUp.SKIP);
    f.schedules.add(
        "hourly",
        Submission.builder("greeter", "{}").withQueue("emails").build(),
        "0 * * * *",
        "UTC",
        CatchUp.SKIP);
    f.schedules.add(
        "unrelated", Submission.builder("other", "{}").build(), "0 * * * *", "UTC", CatchUp.SKIP);
    Map<String, Object> before = f.state();

    ConflictException error =
        assertThrows(ConflictException.class, () -> f.remover.remove("greeter", false));

    assertEquals(
        "module 'greeter' is used by cron schedules hourly, nightly: remove them first"
            + " ('producer cron rm hourly'), or rerun with --force to remove the module anyway,"
            + " and they will then fire no task until a module named 'greeter' is uploaded again",
        error.getMessage());
    assertEquals(before, f.state());

    ModuleRemover.Removed forced = f.remover.remove("greeter", true);

    assertEquals(List.of("hourly", "nightly"), forced.schedules());
    assertTrue(f.store.latest("greeter").isEmpty());
  }

  @Test
  void forcedItRemovesAndReportsTheTasksLeftToFail() {
    ModuleVersion v1 = f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm").version();
    f.enqueuer.enqueue(task("default", v1));

    ModuleRemover.Removed removed = f.remover.remove("greeter", true);

    assertEquals(Map.of("default", 1L), removed.openTasks());
    assertEquals(Map.of("greeter", "1"), f.state().get(f.keys.retired("default")));
  }

  /** A submission that read the module before the removal cannot enqueue after it. */
  @Test
  void aTaskOfARemovedVersionCannotBeEnqueuedAnywhereAfterwards() {
    ModuleVersion v1 = f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm").version();
    NewTask first = task("default", v1);
    f.enqueuer.enqueue(first);
    f.enqueuer.enqueue(task("emails", v1));
    f.client.getKeys().delete(f.keys.pending("default"), f.keys.pending("emails"));
    f.client.getKeys().delete(f.keys.open("default"), f.keys.open("emails")); // as if finished

    f.remover.remove("greeter", false);

    assertEquals(EnqueueResult.MODULE_REMOVED, f.enqueuer.enqueue(task("default", v1)));
    assertEquals(EnqueueResult.MODULE_REMOVED, f.enqueuer.enqueue(task("emails", v1)));
    ModuleVersion v2 = f.publisher.publish("greeter", ModuleFixture.V2, "b.wasm").version();
    assertEquals(2, v2.version());
    assertEquals(EnqueueResult.ENQUEUED, f.enqueuer.enqueue(task("default", v2)), "uploaded again");
  }

  @Test
  void retiringRefusesWhileTasksAreOpenUnlessForced() {
    f.client.getMap(f.keys.open("default")).put("greeter", "2");
    Map<String, Object> before = f.state();

    assertEquals(2L, retire("default", 3, false));
    assertEquals(before, f.state());
    assertEquals(0L, retire("default", 3, true));
    assertEquals(Map.of("greeter", "3"), f.state().get(f.keys.retired("default")));
    assertEquals(0L, retire("default", 2, true), "an older version retires nothing more");
    assertEquals(Map.of("greeter", "3"), f.state().get(f.keys.retired("default")));
  }

  @Test
  void restoringPutsBackWhatWasRetiredBeforeOnlyIfTheEntryIsStillTheRemovals() {
    f.client.getMap(f.keys.retired("default")).put("greeter", "2");
    retire("default", 5, false);

    assertEquals(1L, restore("default", 5, 2));
    assertEquals(Map.of("greeter", "2"), f.state().get(f.keys.retired("default")));
    assertEquals(0L, restore("default", 5, 0), "already restored: left alone");
    assertEquals(Map.of("greeter", "2"), f.state().get(f.keys.retired("default")));

    retire("other", 1, false);
    assertEquals(1L, restore("other", 1, 0));
    assertEquals(null, f.state().get(f.keys.retired("other")), "nothing retired before");
  }

  @Test
  void removingIsStaleWhenAQueueAppearedOrAVersionWasUploaded() {
    ModuleVersion v1 = f.publisher.publish("greeter", ModuleFixture.V1, "a.wasm").version();
    f.enqueuer.enqueue(task("default", v1)); // one queue now
    Map<String, Object> before = f.state();

    assertEquals(-5L, removeScript(1, 0), "it retired in no queue but one exists");
    assertEquals(-5L, removeScript(2, 1), "it read v2 but v1 is the newest");
    assertEquals(before, f.state());
    assertEquals(1L, removeScript(1, 1));
    assertEquals(-4L, removeScript(1, 1), "sent again after it ran: no such module");
  }

  private long retire(String queue, int through, boolean force) {
    return f.session
        .redis()
        .scripts()
        .evalLong(
            LuaScript.RETIRE_TASK_NAME,
            List.of(f.keys.open(queue), f.keys.retired(queue)),
            List.of("greeter", through, force ? "1" : "0"));
  }

  private long restore(String queue, int through, int before) {
    return f.session
        .redis()
        .scripts()
        .evalLong(
            LuaScript.RESTORE_TASK_NAME,
            List.of(f.keys.retired(queue)),
            List.of("greeter", through, before));
  }

  private long removeScript(int latest, int queues) {
    String digest = ModuleDigest.of(ModuleFixture.V1);
    return f.session
        .redis()
        .scripts()
        .evalLong(
            LuaScript.REMOVE_MODULE,
            List.of(
                f.keys.moduleNames(),
                f.keys.queues(),
                f.keys.moduleVersion("greeter", 1),
                f.keys.moduleBlob(digest),
                f.keys.moduleRefs(digest)),
            List.of("greeter", latest, queues, 1));
  }

  private NewTask task(String queue, ModuleVersion module) {
    NewTask task = f.tasks.task(queue, "greeter", "{}");
    return new NewTask(
        task.id(),
        queue,
        "greeter",
        module.digest(),
        module.version(),
        task.kind(),
        "{}",
        task.maxRetries(),
        task.retryBackoff(),
        task.timeout(),
        task.createdAt());
  }
}
