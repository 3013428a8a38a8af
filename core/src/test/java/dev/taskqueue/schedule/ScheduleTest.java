package dev.taskqueue.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.error.ConflictException;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.error.TaskQueueException;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.support.ModuleFixture;
import dev.taskqueue.task.ShapeField;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * add_schedule, fire_schedule, pause_schedule and remove_schedule, through {@link ScheduleStore}
 * and {@link ScheduleFirer}, with a settable clock (it starts at 2026-01-01T00:00:00Z).
 */
@ExtendWith(RedisExtension.class)
class ScheduleTest {
  private static final String EVERY_MINUTE = "0 * * * * *";

  private ModuleFixture f;
  private ScheduleStore store;
  private ScheduleFirer firer;

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new ModuleFixture(redis);
    f.publisher.publish("greeter", ModuleFixture.V1, "greeter.wasm");
    Config config = Config.builder().withoutEnvFile().withEnvironment(Map.of()).build();
    store = new ScheduleStore(f.session.redis(), f.keys, config, f.clock);
    firer = new ScheduleFirer(f.session.redis(), f.keys, f.clock);
  }

  private Schedule add(String name, String cron, CatchUp catchUp) {
    return store.add(
        name, Submission.builder("greeter", "{\"n\":1}").build(), cron, "UTC", catchUp);
  }

  @Test
  void aScheduleIsStoredWithItsFirstFireTime() {
    Schedule added = add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);

    Instant first = f.clock.instant().plusSeconds(60);
    assertEquals(Optional.of(first), added.nextFireAt());
    Map<String, Object> state = f.state();
    assertEquals(
        Map.of("minutely", (double) first.toEpochMilli()), state.get(f.keys.schedules("default")));
    assertEquals(
        Map.of("minutely", "default " + f.clock.millis()),
        state.get(f.keys.scheduleNames()),
        "the queue, and when the name was claimed");
    assertEquals(
        List.of("default"), List.copyOf((java.util.Collection<?>) state.get(f.keys.queues())));
    Schedule read = store.require("minutely");
    assertEquals(added.cron().text(), read.cron().text());
    assertEquals("greeter", read.taskName());
    assertEquals(3, read.maxRetries(), "the default retries");
    assertFalse(read.paused());
    assertEquals(List.of("minutely"), store.list().stream().map(Schedule::name).toList());
  }

  @Test
  void badInputIsRefusedAndNothingIsStored() {
    add("taken", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    Map<String, Object> before = f.state();
    Submission greeter = Submission.builder("greeter", "{}").build();

    refused(
        InvalidInputException.class,
        () -> store.add("bad", greeter, "*/61 * * * * *", "UTC", CatchUp.SKIP));
    refused(
        InvalidInputException.class,
        () -> store.add("bad", greeter, EVERY_MINUTE, "Nowhere/City", CatchUp.SKIP));
    refused(
        InvalidInputException.class,
        () -> store.add("no spaces", greeter, EVERY_MINUTE, "UTC", CatchUp.SKIP));
    refused(
        NotFoundException.class,
        () ->
            store.add(
                "x",
                Submission.builder("nosuch", "{}").build(),
                EVERY_MINUTE,
                "UTC",
                CatchUp.SKIP));
    ConflictException duplicate =
        assertThrows(
            ConflictException.class,
            () -> store.add("taken", greeter, EVERY_MINUTE, "UTC", CatchUp.SKIP));
    assertEquals(
        "schedule 'taken' exists already (queue default): choose another name, or remove it first"
            + " with 'producer cron rm taken'",
        duplicate.getMessage());
    refused(
        ConflictException.class,
        () ->
            store.add(
                "taken",
                Submission.builder("greeter", "{}").withQueue("other").build(),
                EVERY_MINUTE,
                "UTC",
                CatchUp.SKIP));

    assertEquals(before, f.state());
  }

  @Test
  void aNameJustClaimedByAnAddStillOnItsWayIsTaken() {
    // Another add claimed the name for queue 'other' and has not written its schedule yet.
    f.client.getMap(f.keys.scheduleNames()).put("nightly", "other " + f.clock.millis());
    Map<String, Object> before = f.state();

    ConflictException taken =
        assertThrows(
            ConflictException.class, () -> add("nightly", EVERY_MINUTE, CatchUp.FIRE_ONCE));

    assertTrue(taken.getMessage().startsWith("schedule 'nightly' exists already (queue other)"));
    assertEquals(before, f.state());
  }

  @Test
  void twoAddsOfOneNameIntoTwoQueuesAtOnceLeaveOneSchedule() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        String name = "race-" + round;
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Boolean>> adds = new ArrayList<>();
        for (String queue : List.of("left", "right")) {
          adds.add(
              threads.submit(
                  () -> {
                    start.await();
                    try {
                      store.add(
                          name,
                          Submission.builder("greeter", "{}").withQueue(queue).build(),
                          EVERY_MINUTE,
                          "UTC",
                          CatchUp.SKIP);
                      return true;
                    } catch (ConflictException e) {
                      return false;
                    }
                  }));
        }
        boolean left = adds.get(0).get();
        boolean right = adds.get(1).get();
        assertTrue(left ^ right, name + ": exactly one add succeeds");
        String winner = left ? "left" : "right";
        String loser = left ? "right" : "left";
        assertEquals(winner, store.require(name).queue());
        assertTrue(f.client.getMap(f.keys.schedule(loser, name)).isEmpty(), name);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aStaleClaimIsTakenOverOnceItsGraceIsOver() {
    Instant claimed = f.clock.instant();
    f.client.getMap(f.keys.scheduleNames()).put("nightly", "other " + claimed.toEpochMilli());
    f.client.getMap(f.keys.scheduleNames()).put("legacy", "other");
    f.clock.set(claimed.plus(ScheduleStore.NAME_CLAIM_GRACE).plusMillis(1));

    add("nightly", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    add("legacy", EVERY_MINUTE, CatchUp.FIRE_ONCE);

    String now = "default " + f.clock.millis();
    assertEquals(Map.of("nightly", now, "legacy", now), f.state().get(f.keys.scheduleNames()));
    assertEquals("default", store.require("nightly").queue());
  }

  @Test
  void anOldClaimWhoseScheduleExistsIsTaken() {
    add("nightly", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    f.clock.set(f.clock.instant().plus(ScheduleStore.NAME_CLAIM_GRACE).plusSeconds(1));

    assertThrows(
        ConflictException.class,
        () ->
            store.add(
                "nightly",
                Submission.builder("greeter", "{}").withQueue("other").build(),
                EVERY_MINUTE,
                "UTC",
                CatchUp.SKIP));
    assertEquals("default", store.require("nightly").queue());
  }

  private void refused(Class<? extends TaskQueueException> type, Executable add) {
    assertThrows(type, add);
  }

  @Test
  void aDueFiringMakesATaskLinkedToItsScheduleAtTheFrontOfPending() {
    Schedule schedule = add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    Instant due = schedule.nextFireAt().orElseThrow();
    f.clock.set(due.plusMillis(3));

    assertEquals(1, firer.fireDue("default", 10));

    Map<String, Object> state = f.state();
    List<?> pending = (List<?>) state.get(f.keys.pending("default"));
    assertEquals(1, pending.size());
    String id = (String) pending.get(0);
    Map<String, String> task = ShapeField.expand(f.hash(f.keys.task("default", id)));
    assertEquals("cron", task.get("kind"));
    assertEquals("pending", task.get("stage"));
    assertEquals("minutely", task.get("schedule"));
    assertEquals(Long.toString(due.toEpochMilli()), task.get("fire_at"));
    assertEquals("{\"n\":1}", task.get("payload"));
    assertEquals(f.store.require("greeter").digest(), task.get("module_digest"));
    assertEquals(Map.of(id, 0.0), state.get(f.keys.marker("default")), "names the front task");
    assertEquals(Map.of("greeter", "1"), state.get(f.keys.open("default")));
    Schedule after = store.require("minutely");
    assertEquals(Optional.of(due.plusSeconds(60)), after.nextFireAt(), "from the fire time");
    assertEquals(Optional.of(due), after.lastFireAt());
    assertEquals(Optional.of(id), after.lastTaskId());
    assertEquals(1, after.fired());
    assertEquals(
        Map.of("minutely", (double) due.plusSeconds(60).toEpochMilli()),
        state.get(f.keys.schedules("default")));
  }

  /** Issue 16: a schedule keeps the limits of its submission, and each firing's task has them. */
  @Test
  void aSchedulesTasksHaveTheLimitsItWasAddedWith() {
    Schedule schedule =
        store.add(
            "capped",
            Submission.builder("greeter", "{}").withMemoryPages(8).withMaxResultBytes(64).build(),
            EVERY_MINUTE,
            "UTC",
            CatchUp.FIRE_ONCE);
    f.clock.set(schedule.nextFireAt().orElseThrow());

    assertEquals(1, firer.fireDue("default", 10));

    String limits = "{\"memory_pages\":8,\"max_result_bytes\":64}";
    assertEquals(limits, f.hash(f.keys.schedule("default", "capped")).get("limits"));
    String id = store.require("capped").lastTaskId().orElseThrow();
    assertEquals(limits, f.hash(f.keys.task("default", id)).get("limits"));
    assertEquals(schedule.limits(), store.require("capped").limits());
  }

  /** Two schedulers read the same due firing; only one makes its task. */
  @Test
  void aFiringIsMadeOnceWhenSchedulersRace() {
    Schedule schedule = add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    f.clock.set(schedule.nextFireAt().orElseThrow());
    ScheduleFirer other = new ScheduleFirer(f.session.redis(), f.keys, f.clock);

    assertEquals(1, firer.fire(schedule));
    Map<String, Object> once = f.state();
    assertEquals(-5, other.fire(schedule), "stale: fired since it was read");

    assertEquals(once, f.state());
  }

  @Test
  void missedFiringsFollowTheCatchUpPolicy() {
    String hourly = "0 0 * * * *";
    Instant first = add("once", hourly, CatchUp.FIRE_ONCE).nextFireAt().orElseThrow();
    add("skip", hourly, CatchUp.SKIP);
    add("all", hourly, CatchUp.ALL);
    // No scheduler ran for four and a half hours: five firings missed.
    f.clock.set(first.plus(Duration.ofMinutes(270)));

    firer.fireDue("default", 10);

    assertEquals(1, store.require("once").fired());
    assertEquals(Optional.of(first.plus(Duration.ofHours(4))), store.require("once").lastFireAt());
    assertEquals(0, store.require("skip").fired());
    assertEquals(5, store.require("all").fired());
    for (String name : List.of("once", "skip", "all")) {
      assertEquals(
          Optional.of(first.plus(Duration.ofHours(5))), store.require(name).nextFireAt(), name);
    }
    assertEquals(6, ((List<?>) f.state().get(f.keys.pending("default"))).size());
  }

  @Test
  void aPausedScheduleDoesNotFireAndResumesFromNow() {
    Instant first = add("minutely", EVERY_MINUTE, CatchUp.ALL).nextFireAt().orElseThrow();

    assertTrue(store.pause("minutely"));
    assertFalse(store.pause("minutely"), "already paused");
    f.clock.set(first.plus(Duration.ofMinutes(3)).plusSeconds(10));
    assertEquals(0, firer.fireDue("default", 10));
    assertTrue(store.resume("minutely"));
    assertFalse(store.resume("minutely"));

    Schedule resumed = store.require("minutely");
    assertEquals(
        Optional.of(first.plus(Duration.ofMinutes(4))),
        resumed.nextFireAt(),
        "missed while paused: not made up");
    assertNull(f.state().get(f.keys.pending("default")));
  }

  @Test
  void removingAScheduleKeepsTheTasksItFired() {
    Schedule schedule = add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    f.clock.set(schedule.nextFireAt().orElseThrow());
    firer.fireDue("default", 10);

    store.remove("minutely");

    Map<String, Object> state = f.state();
    assertNull(state.get(f.keys.schedule("default", "minutely")));
    assertNull(state.get(f.keys.schedules("default")));
    assertNull(state.get(f.keys.scheduleNames()));
    assertEquals(1, ((List<?>) state.get(f.keys.pending("default"))).size());
    assertThrows(NotFoundException.class, () -> store.remove("minutely"));
    add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);
  }

  @Test
  void aScheduleWhoseModuleWasRemovedMovesOnWithoutATask() {
    Schedule schedule = add("minutely", EVERY_MINUTE, CatchUp.FIRE_ONCE);
    f.remover.remove("greeter", true);
    f.clock.set(schedule.nextFireAt().orElseThrow());

    assertEquals(0, firer.fireDue("default", 10));

    assertNull(f.state().get(f.keys.pending("default")));
    assertEquals(
        schedule.nextFireAt().map(at -> at.plusSeconds(60)),
        store.require("minutely").nextFireAt());
  }
}
