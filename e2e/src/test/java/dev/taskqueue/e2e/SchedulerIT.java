package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.e2e.Executables.Result;
import dev.taskqueue.schedule.CatchUp;
import dev.taskqueue.schedule.ScheduleStore;
import dev.taskqueue.submission.Submission;
import dev.taskqueue.task.Task;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real scheduler processes firing cron schedules every second: several at once never fire a time
 * twice, and one killed with SIGKILL and started again misses none.
 */
@ExtendWith(RedisExtension.class)
class SchedulerIT {
  @TempDir Path dir;
  private E2e e2e;
  private ScheduleStore schedules;

  @BeforeEach
  void setUp(TestRedis redis) {
    e2e = new E2e(redis, dir);
    Result upload = e2e.bin.run("registry", "upload", E2e.module("echo.wat").toString());
    assertEquals(0, upload.exitCode(), upload.toString());
    Config config =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of("TASK_QUEUE_KEY_PREFIX", redis.prefix()))
            .build();
    schedules = new ScheduleStore(e2e.session.redis(), e2e.keys, config, Clock.systemUTC());
  }

  @Test
  void threeSchedulersFireEverySecondOfTwentySchedulesExactlyOnce() throws Exception {
    List<Process> schedulers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      schedulers.add(e2e.bin.start("scheduler", dir.resolve("scheduler-" + i + ".log")));
    }
    Thread.sleep(3000); // all three up
    Result running = e2e.bin.run("producer", "stats");
    assertTrue(running.stdout().contains("schedulers: 3 alive,"), running.toString());
    for (int i = 0; i < 20; i++) {
      everySecond("s" + i, CatchUp.FIRE_ONCE);
    }
    Thread.sleep(12_000);
    for (Process scheduler : schedulers) {
      assertEquals(0, Executables.terminate(scheduler, Duration.ofSeconds(60)));
    }
    Result stopped = e2e.bin.run("producer", "stats");
    assertTrue(
        stopped.stdout().contains("schedulers and reapers: none runs"),
        "each took its word back as it stopped: " + stopped);
    for (int i = 0; i < 3; i++) {
      String log = Files.readString(dir.resolve("scheduler-" + i + ".log"));
      assertTrue(log.contains("scheduler stopped event=scheduler.stopped"), log);
    }

    Map<String, NavigableSet<Instant>> fired = firings();
    int total = fired.values().stream().mapToInt(Set::size).sum();
    System.out.println("[schedulers] 3 schedulers, 20 schedules: " + total + " firings");
    assertTrue(total >= 200, "at least 200 firings: " + total);
    assertEquals(20, fired.size());
    fired.forEach((name, times) -> assertEverySecond(name, times));
  }

  @Test
  void aSchedulerKilledAndStartedAgainMissesNoFiring() throws Exception {
    Process first = e2e.bin.start("scheduler", dir.resolve("first.log"));
    Thread.sleep(2000);
    everySecond("tick", CatchUp.ALL);
    Thread.sleep(4000);

    Executables.kill(first);
    Thread.sleep(3000); // firings due meanwhile are missed, to be caught up
    Process second = e2e.bin.start("scheduler", dir.resolve("second.log"));
    Thread.sleep(5000);
    assertEquals(0, Executables.terminate(second, Duration.ofSeconds(60)));

    NavigableSet<Instant> times = firings().get("tick");
    System.out.println("[scheduler restart] " + times.size() + " firings, none missed");
    assertTrue(times.size() >= 9, times.toString());
    assertEverySecond("tick", times);
  }

  /**
   * Two schedulers, the network between one of them and Redis cut for several of its command
   * timeouts and then healed (what it sent meanwhile reaches Redis late, as after a partition): the
   * other fires every second meanwhile, and the late firings change nothing.
   */
  @Test
  void aSchedulerCutOffFromRedisAndHealedNeitherDoublesNorSkipsAFiring() throws Exception {
    try (NetworkCut network = new NetworkCut(e2e.redis.port())) {
      Process cutOff =
          e2e.bin.start(
              "scheduler",
              dir.resolve("cut.log"),
              Map.of("REDIS_URL", network.url(), "TASK_QUEUE_REDIS_TIMEOUT", "1s"));
      Process other = e2e.bin.start("scheduler", dir.resolve("other.log"));
      try {
        Thread.sleep(3000); // both up
        for (int i = 0; i < 5; i++) {
          everySecond("s" + i, CatchUp.ALL);
        }
        Thread.sleep(3000);
        network.cut();
        Thread.sleep(5000);
        network.heal();
        Thread.sleep(4000);
      } finally {
        Executables.terminateAll(List.of(cutOff, other));
      }
    }
    Map<String, NavigableSet<Instant>> fired = firings();
    int total = fired.values().stream().mapToInt(Set::size).sum();
    System.out.println("[scheduler cut] 2 schedulers, one cut off for 5 s: " + total + " firings");
    assertEquals(5, fired.size());
    fired.forEach(
        (name, times) -> {
          assertTrue(times.size() >= 10, name + ": " + times);
          assertEverySecond(name, times);
        });
  }

  private void everySecond(String name, CatchUp catchUp) {
    schedules.add(name, Submission.builder("echo", "{}").build(), "* * * * * *", "UTC", catchUp);
  }

  /** The fire times of the tasks each schedule made, by schedule; a time made twice fails. */
  private Map<String, NavigableSet<Instant>> firings() {
    Map<String, NavigableSet<Instant>> fired = new TreeMap<>();
    for (String id : e2e.client.<String>getList(e2e.keys.pending("default")).readAll()) {
      Task task = e2e.task(dev.taskqueue.task.TaskId.parse(id));
      String schedule = task.schedule().orElseThrow();
      Instant at = task.fireAt().orElseThrow();
      assertTrue(
          fired.computeIfAbsent(schedule, s -> new TreeSet<>()).add(at),
          schedule + " fired " + at + " twice");
    }
    return fired;
  }

  private static void assertEverySecond(String name, NavigableSet<Instant> times) {
    Instant expected = times.first();
    for (Instant at : times) {
      assertEquals(expected, at, name + " missed a second: " + times);
      expected = expected.plusSeconds(1);
    }
  }
}
