package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.task.Stage;
import dev.taskqueue.task.Task;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose slots get through tasks fast claims a backlog ahead of them ({@link ClaimRoom}); a
 * task of that backlog stranded behind long tasks goes back to its queue rather than wait there.
 */
@ExtendWith(RedisExtension.class)
class ClaimingAheadTest {
  private static final Duration LONG = Duration.ofMinutes(5);

  @TempDir Path logs;
  private WorkerFixture f;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new WorkerFixture(redis);
  }

  @AfterEach
  void tearDown() {
    f.stopWorker(Duration.ofMillis(200));
  }

  @Test
  void tasksClaimedAheadOfASlotTakenByALongTaskGoBackToTheirQueue() throws Exception {
    f.publishWat("echo");
    f.publishWat("sleep");
    // Quick tasks first, so that the slot's pace earns a backlog; then one that sleeps for good
    // and three quick ones behind it, which only a backlog would have claimed.
    List<TaskId> quick = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      quick.add(f.submit("echo", "{}"));
    }
    TaskId sleeper = f.submit("default", "sleep", "{}", LONG);
    List<TaskId> behind = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      behind.add(f.submit("echo", "{}"));
    }
    f.startWorker(WorkerFixture.settings(logs, 1, List.of("default")));

    for (TaskId id : quick) {
      assertEquals(Stage.COMPLETED, f.awaitFinal(id).stage());
    }
    f.await(sleeper, t -> t.stage() == Stage.IN_PROGRESS, Duration.ofSeconds(10));
    // Claimed ahead, then released after waiting MOST_SLOT_WAIT for the one slot.
    Task first =
        f.await(
            behind.get(0),
            t -> t.stage() == Stage.PENDING && t.attempts() == 1,
            ClaimedTasks.MOST_SLOT_WAIT.plus(Dispatcher.IDLE_WAIT).plus(Duration.ofSeconds(10)));
    assertEquals("released", first.history().get(0).outcome());
    Thread.sleep(Dispatcher.IDLE_WAIT.multipliedBy(2).toMillis());

    for (TaskId id : behind) {
      Task task = f.task(id);
      assertEquals(Stage.PENDING, task.stage(), "never run while the slot sleeps: " + id);
      assertTrue(task.attempts() <= 1, "claimed once at most: " + task);
    }
    assertEquals(Stage.IN_PROGRESS, f.task(sleeper).stage());
    assertEquals(1, f.depth("default").processing(), "only the sleeper is held");
  }
}
