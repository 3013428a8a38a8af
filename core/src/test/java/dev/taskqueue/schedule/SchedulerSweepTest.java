package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.config.Config;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One sweep of the scheduler's loop ({@link SchedulerLoop#sweep}) with a settable clock: what it
 * promotes and fires, and when it plans the next, from the queues and sets it reads together.
 */
@ExtendWith(RedisExtension.class)
class SchedulerSweepTest {
  private static final Duration MAX_SLEEP = Duration.ofHours(1);

  private ModuleFixture f;
  private SchedulerLoop loop;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new ModuleFixture(redis);
    f.enqueuer.registerQueue("default");
    loop = new SchedulerLoop(f.session, f.clock, MAX_SLEEP);
  }

  @Test
  void withNothingWaitingASweepPlansTheLongestSleep() {
    assertEquals(f.clock.instant().plus(MAX_SLEEP), loop.sweep());
  }

  @Test
  void aSweepPromotesWhatIsDueAndPlansForTheNextTask() {
    NewTask due = later("default", Duration.ofSeconds(1));
    NewTask next = later("default", Duration.ofSeconds(10));
    f.clock.advance(Duration.ofSeconds(1));

    assertEquals(next.runAt().orElseThrow(), loop.sweep());

    assertEquals(List.of(due.id().value()), pending("default"));
    assertEquals(
        Map.of(next.id().value(), (double) next.runAt().orElseThrow().toEpochMilli()),
        f.state().get(f.keys.scheduled("default")));
  }

  @Test
  void aSweepFiresADueScheduleAndPlansForItsNextFiring() {
    f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");
    Config config = Config.builder().withoutEnvFile().withEnvironment(Map.of()).build();
    new ScheduleStore(f.session.redis(), f.keys, config, f.clock)
        .add(
            "minutely",
            Submission.builder("greeter", "{}").build(),
            "0 * * * * *",
            "UTC",
            CatchUp.FIRE_ONCE);
    NewTask later = later("default", Duration.ofSeconds(150));
    Instant first = f.clock.instant().plusSeconds(60);
    f.clock.set(first);

    assertEquals(
        first.plusSeconds(60), loop.sweep(), "the schedule's next firing, before the task");

    assertEquals(1, pending("default").size(), "one firing");
    f.clock.set(first.plusSeconds(60));
    assertEquals(later.runAt().orElseThrow(), loop.sweep(), "then the task, before the third");
  }

  @Test
  void aQueueFirstSeenInASweepIsSweptThen() {
    assertEquals(f.clock.instant().plus(MAX_SLEEP), loop.sweep());
    NewTask due = later("emails", Duration.ofSeconds(1));
    f.clock.advance(Duration.ofSeconds(1));

    loop.sweep();

    assertEquals(List.of(due.id().value()), pending("emails"));
  }

  @Test
  void aBurstLargerThanOneReadIsPromotedWhole() {
    List<NewTask> burst = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      burst.add(Tasks.at(f.tasks.greeter("{}"), f.clock.instant().plusSeconds(1)));
    }
    f.enqueuer.enqueueAll("default", burst);
    NewTask next = later("default", Duration.ofSeconds(10));
    f.clock.advance(Duration.ofSeconds(1));

    assertEquals(next.runAt().orElseThrow(), loop.sweep());

    assertEquals(1_200, pending("default").size());
  }

  private NewTask later(String queue, Duration in) {
    NewTask task = Tasks.at(f.tasks.task(queue, "greeter", "{}"), f.clock.instant().plus(in));
    f.enqueuer.enqueue(task);
    return task;
  }

  private List<String> pending(String queue) {
    return f.session.redis().lrange(f.keys.pending(queue), 0, -1);
  }
}
