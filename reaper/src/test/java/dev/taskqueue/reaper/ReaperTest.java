package dev.taskqueue.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.LeaseRenewer;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.support.Tasks;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.task.TaskLimits;
import dev.taskqueue.task.TaskResult;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One sweep of the reaper's loop, on a real Redis with a settable clock. */
@ExtendWith(RedisExtension.class)
class ReaperTest {
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  /**
   * A retry's share of its backoff. A random one was 0 about once in a thousand runs, and the sweep
   * that scheduled the retry then promoted it at once.
   */
  private static final double HALF_THE_BACKOFF = 0.5;

  @TempDir Path dir;
  private LeaseFixture f;
  private Path logs;
  private Reaper reaper;

  @BeforeEach
  void setUp(TestRedis redis) throws Exception {
    f = new LeaseFixture(redis);
    logs = Files.createDirectories(dir.resolve("logs")).toAbsolutePath().normalize();
    ReaperSettings settings =
        new ReaperSettings(INTERVAL, 1, Duration.ofDays(7), 100, Duration.ofDays(30), logs);
    reaper = new Reaper(settings, f.session, f.clock, () -> HALF_THE_BACKOFF);
  }

  @Test
  void anExpiredLeaseIsRetriedAndItsRetryPromotedWhenDue() {
    NewTask task = f.tasks.greeter("{}");
    Lease lease = f.enqueueAndClaim(task).lease();

    assertEquals(
        lease.expiresAt(),
        reaper.sweep(),
        "it wakes when the lease would expire, before the interval is up");

    f.clock.set(lease.expiresAt().plusMillis(1));
    Instant next = reaper.sweep();
    Map<String, String> hash = f.hash(f.keys.task("default", task.id()));
    assertEquals("retrying", hash.get("stage"));
    Instant runAt = Instant.ofEpochMilli(Long.parseLong(hash.get("run_at")));
    assertEquals(runAt, next, "and again when the retry is due");

    f.clock.set(runAt);
    reaper.sweep();
    assertEquals("pending", f.hash(f.keys.task("default", task.id())).get("stage"));
    assertEquals(List.of(task.id().value()), f.state().get(f.keys.pending("default")));
  }

  /**
   * Promoting tasks as they come due is the scheduler's work: one due just after a sweep wakes the
   * reaper only {@link Reaper#DUE_WAKE_GAP} after it, which then promotes it where no scheduler
   * has; one due later wakes it at its time.
   */
  @Test
  void aTaskDueJustAfterASweepWaitsForTheGapAndOneDueLaterWakesItOnTime() {
    Instant now = f.clock.instant();
    NewTask soon = forLater(now.plusMillis(1));
    NewTask later = forLater(now.plus(Reaper.DUE_WAKE_GAP).plusSeconds(1));

    assertEquals(now.plus(Reaper.DUE_WAKE_GAP), reaper.sweep());

    f.clock.set(now.plus(Reaper.DUE_WAKE_GAP));
    assertEquals(later.runAt().orElseThrow(), reaper.sweep());
    assertEquals(List.of(soon.id().value()), f.state().get(f.keys.pending("default")));
  }

  @Test
  void aLeaseExpiringAtTheSweepsVeryMillisecondIsTakenOverByTheNext() {
    NewTask task = f.tasks.greeter("{}");
    Lease lease = f.enqueueAndClaim(task).lease();
    f.clock.set(lease.expiresAt());

    assertEquals(lease.expiresAt(), reaper.sweep(), "its last moment still counts");
    assertEquals("in_progress", f.hash(f.keys.task("default", task.id())).get("stage"));

    f.clock.set(lease.expiresAt().plusMillis(1));
    reaper.sweep();
    assertEquals("retrying", f.hash(f.keys.task("default", task.id())).get("stage"));
  }

  /** The timeout set listed the lease as expired, but the task's hash says it was renewed. */
  @Test
  void aListedLeaseThatWasRenewedIsLeftAndItsExpiryReadAgain() {
    NewTask task = f.tasks.greeter("{}");
    Lease lease = f.enqueueAndClaim(task).lease();
    f.session
        .redis()
        .sortedSets()
        .zadd(f.keys.timeout("default"), f.clock.millis(), task.id().value());
    f.clock.advance(Duration.ofMillis(1));

    assertEquals(lease.expiresAt(), reaper.sweep());

    assertEquals("in_progress", f.hash(f.keys.task("default", task.id())).get("stage"));
  }

  @Test
  void moreExpiredLeasesThanOneReadAreAllTakenOver() {
    List<NewTask> tasks = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      tasks.add(f.tasks.greeter("{}"));
    }
    f.enqueuer.enqueueAll("default", tasks);
    Instant expiresAt = Instant.MIN;
    for (int claimed = 0; claimed < tasks.size(); ) {
      for (Claimed c : f.claim("default", "w1", 100)) {
        expiresAt = ((Claimed.Ready) c).lease().expiresAt();
        claimed++;
      }
    }
    f.clock.set(expiresAt.plusMillis(1));

    Instant next = reaper.sweep();

    for (NewTask task : tasks) {
      assertEquals("retrying", f.hash(f.keys.task("default", task.id())).get("stage"));
    }
    String runAt = f.hash(f.keys.task("default", tasks.get(0).id())).get("run_at");
    assertEquals(Instant.ofEpochMilli(Long.parseLong(runAt)), next, "when the retries are due");
  }

  @Test
  void aQueueFirstSeenInASweepIsSweptThen() {
    f.enqueuer.registerQueue("default");
    reaper.sweep();
    NewTask task = f.tasks.task("emails", "greeter", "{}");
    Lease lease = f.enqueueAndClaim(task).lease();
    f.clock.set(lease.expiresAt().plusMillis(1));

    reaper.sweep();

    assertEquals("retrying", f.hash(f.keys.task("emails", task.id())).get("stage"));
  }

  @Test
  void withNothingToDoItSleepsTheInterval() {
    f.enqueuer.registerQueue("default");

    assertEquals(f.clock.instant().plus(INTERVAL), reaper.sweep());
  }

  /** A task for {@code runAt}, submitted. */
  private NewTask forLater(Instant runAt) {
    NewTask task =
        Tasks.reshaped(
            f.tasks.greeter("{}"), 0, Tasks.BACKOFF, Optional.of(runAt), TaskLimits.NONE);
    f.enqueuer.enqueue(task);
    return task;
  }

  @Test
  void retentionDeletesTheOldestCompletedTasksWithTheirLogFilesInItsFolderOnly() throws Exception {
    Path inside = Files.writeString(logs.resolve("old.log"), "started\n");
    Path outside = Files.writeString(dir.resolve("elsewhere.log"), "started\n");
    NewTask oldest = complete(Optional.of(inside.toString()));
    NewTask older = complete(Optional.of(outside.toString()));
    NewTask newest = complete(Optional.empty());

    reaper.sweep();

    Map<String, Object> state = f.state();
    assertEquals(List.of(newest.id().value()), state.get(f.keys.finished("default")), "keep 1");
    assertNull(state.get(f.keys.task("default", oldest.id())));
    assertNull(state.get(f.keys.task("default", older.id())));
    assertTrue(Files.notExists(inside), "its log file went with it");
    assertTrue(Files.exists(outside), "a path outside the log folder is never touched");
  }

  @Test
  void deadWorkersAreForgotten() {
    new LeaseRenewer(f.session.redis(), f.keys, f.clock, "w1", LeaseFixture.LEASE, Duration.ZERO)
        .beat(Map.of("id", "w1"), List.of());
    f.clock.advance(LeaseFixture.LEASE.plusMillis(1));

    reaper.sweep();

    assertNull(f.state().get(f.keys.workers()));
    assertNull(f.state().get(f.keys.worker("w1")));
  }

  private NewTask complete(Optional<String> log) {
    NewTask task = f.tasks.greeter("{}");
    Lease lease = f.enqueueAndClaim(task).lease();
    f.recorder.complete(lease, TaskResult.of(new byte[] {'1'}), log);
    f.clock.advance(Duration.ofSeconds(1));
    return task;
  }
}
