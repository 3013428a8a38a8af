package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.redis.RedisStreams;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.Stage;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** trim_ended.lua, through {@link EndedTasks}: retention by count and by age. */
@ExtendWith(RedisExtension.class)
class EndedTasksTest {
  private LeaseFixture f;
  private EndedTasks ended;
  private final List<NewTask> completed = new ArrayList<>();

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    ended = new EndedTasks(f.session.redis(), f.keys);
    for (int i = 0; i < 4; i++) {
      NewTask task = f.tasks.greeter("{}");
      Lease lease = f.enqueueAndClaim(task).lease();
      f.recorder.complete(
          lease, TaskResult.of(new byte[] {'1'}), Optional.of("/logs/" + i + ".log"));
      completed.add(task);
      f.clock.advance(Duration.ofHours(1));
    }
  }

  @Test
  void keepsTheNewestNAndDeletesTheRestOldestFirst() {
    RedisStreams streams = f.session.redis().streams();
    for (NewTask task : completed) {
      streams.appendAll(
          List.of(
              new RedisStreams.Append(
                  f.keys.taskLog("default", task.id().value()), Map.of("l", "a line"))));
    }

    List<EndedTasks.Deleted> deleted = ended.trim("default", Stage.COMPLETED, 1, Instant.EPOCH, 10);

    assertEquals(
        List.of(
            new EndedTasks.Deleted(completed.get(0).id().value(), Optional.of("/logs/0.log")),
            new EndedTasks.Deleted(completed.get(1).id().value(), Optional.of("/logs/1.log")),
            new EndedTasks.Deleted(completed.get(2).id().value(), Optional.of("/logs/2.log"))),
        deleted);
    assertEquals(List.of(completed.get(3).id().value()), f.state().get(f.keys.finished("default")));
    assertNull(f.state().get(f.keys.task("default", completed.get(0).id())));
    assertNull(
        f.state().get(f.keys.taskLog("default", completed.get(0).id().value())),
        "its output goes with it");
    assertTrue(f.state().containsKey(f.keys.taskLog("default", completed.get(3).id().value())));
  }

  @Test
  void deletesWhatEndedBeforeTheCutoffAndStopsAtTheFirstYoungerOne() {
    // Ended at start, +1 h, +2 h, +3 h; the clock is at +4 h.
    Instant cutoff = f.clock.instant().minus(Duration.ofMinutes(150));

    assertEquals(2, ended.trim("default", Stage.COMPLETED, 100, cutoff, 10).size());

    assertEquals(
        List.of(completed.get(3).id().value(), completed.get(2).id().value()),
        f.state().get(f.keys.finished("default")));
  }

  @Test
  void worksInBatches() {
    assertEquals(2, ended.trim("default", Stage.COMPLETED, 0, Instant.EPOCH, 2).size());
    assertEquals(2, ended.trim("default", Stage.COMPLETED, 0, Instant.EPOCH, 2).size());
    assertEquals(0, ended.trim("default", Stage.COMPLETED, 0, Instant.EPOCH, 2).size());
    assertNull(f.state().get(f.keys.finished("default")));
  }
}
