package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The room a worker has to claim in: its free slots, and a backlog claimed ahead of them only while
 * its slots get through tasks fast, sized to what they get through in {@link ClaimRoom#AHEAD}.
 */
class ClaimRoomTest {
  private static final int SLOTS = 10;
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final Duration NOW = Duration.ZERO;

  private final AtomicLong clock = new AtomicLong();
  private final ClaimRoom room = new ClaimRoom(SLOTS, clock::get);

  @Test
  void aFreshWorkerClaimsForItsSlotsOnly() throws Exception {
    assertEquals(SLOTS, room.take(1, NOW));
    assertEquals(0, room.take(1, NOW), "every slot is taken, and no pace is known yet");
    assertEquals(SLOTS, room.held());
  }

  @Test
  void slotsThatGetThroughTasksFastGetABacklogUpToItsMost() throws Exception {
    // Each millisecond the slots end every task the last claim took: 10,000 a second at first.
    int taken = 0;
    for (int ms = 0; ms < 300; ms++) {
      taken = room.take(1, NOW);
      clock.addAndGet(MS);
      for (int i = 0; i < taken; i++) {
        room.ended();
      }
    }

    assertEquals(SLOTS + ClaimRoom.LEAST_MOST_AHEAD, room.most());
    assertEquals(room.most(), taken, "at 610 tasks a millisecond, 20 ms of them is past the cap");
  }

  @Test
  void aBacklogsMostIsTwelveASlotOr600WhicheverIsMore() {
    assertEquals(4 + 600, new ClaimRoom(4, clock::get).most());
    assertEquals(50 + 600, new ClaimRoom(50, clock::get).most());
    assertEquals(100 + 1200, new ClaimRoom(100, clock::get).most());
  }

  @Test
  void fourSlotsAt30000ASecondGetTheBacklogOfFifty() throws Exception {
    // The default slots, ending no-op tasks at a warm worker's pace: short tasks go at the pace of
    // the cores, however many slots there are, and so does the backlog that lasts them 20 ms.
    ClaimRoom four = new ClaimRoom(4, clock::get);

    int held = heldAfterASecondAt30000ASecond(four);

    assertTrue(held >= 4 + 590 && held <= four.most(), "held " + held);
  }

  @Test
  void fiftySlotsAt30000ASecondGetABacklogThatLasts20Ms() throws Exception {
    // What one worker's 50 slots get through once a drain of no-op tasks is warm: the backlog is
    // then sized by the time it lasts, not held to its most per slot.
    ClaimRoom fifty = new ClaimRoom(50, clock::get);

    int held = heldAfterASecondAt30000ASecond(fifty);

    assertTrue(held >= 50 + 590 && held <= fifty.most(), "held " + held);
  }

  /**
   * Claims all the room there is each millisecond for a second while 30 of the tasks held end in
   * it; returns how many are held after one more claim.
   */
  private int heldAfterASecondAt30000ASecond(ClaimRoom room) throws InterruptedException {
    for (int ms = 0; ms < 1000; ms++) {
      room.take(1, NOW);
      clock.addAndGet(MS);
      for (int i = Math.min(30, room.held()); i > 0; i--) {
        room.ended();
      }
    }
    room.take(1, NOW);
    return room.held();
  }

  @Test
  void slowTasksGetNoBacklog() throws Exception {
    assertEquals(SLOTS, room.take(1, NOW));
    // Ten a second: 20 ms of them is a fifth of a task.
    for (int i = 0; i < 100; i++) {
      clock.addAndGet(100 * MS);
      room.ended();
      assertEquals(1, room.take(1, NOW), "only the slot that came free");
    }
    assertEquals(SLOTS, room.held());
  }

  @Test
  void aBacklogGoesWhenTheSlotsSlowDown() throws Exception {
    slotsThatGetThroughTasksFastGetABacklogUpToItsMost();
    assertEquals(room.most(), room.take(1, NOW));
    // Now one task ends every 10 ms: 100 a second, two in 20 ms. Once the tasks held have ended,
    // and 100 more, the backlog is gone: only the slots and those two are claimed again.
    int ends = room.most() + 100;
    int takenSince = 0;
    for (int i = 0; i < ends; i++) {
      clock.addAndGet(10 * MS);
      room.ended();
      takenSince += room.take(1, NOW);
    }
    assertTrue(room.held() <= SLOTS + 2, "held " + room.held() + " after taking " + takenSince);
  }

  @Test
  void roomIsExpectedWithinAWaitOnlyAtAPaceThatFreesItInTime() throws Exception {
    assertFalse(room.comesFreeWithin(1, Duration.ofMillis(2)), "no pace known yet");
    // Ten a second, as slots on 100 ms tasks go: one more in 2 ms is not to be waited for.
    assertEquals(SLOTS, room.take(1, NOW));
    for (int i = 0; i < 20; i++) {
      clock.addAndGet(100 * MS);
      room.ended();
      room.take(1, NOW);
    }
    assertFalse(room.comesFreeWithin(1, Duration.ofMillis(2)));
    // Ten a millisecond: five come free within 2 ms at that pace, fifty do not.
    for (int ms = 0; ms < 1000; ms++) {
      clock.addAndGet(MS);
      for (int i = 0; i < 10; i++) {
        room.ended();
      }
      room.take(1, NOW);
    }
    assertTrue(room.comesFreeWithin(5, Duration.ofMillis(2)));
    assertFalse(room.comesFreeWithin(50, Duration.ofMillis(2)));
  }

  @Test
  void roomGivenBackCanBeTakenAgain() throws Exception {
    assertEquals(SLOTS, room.take(1, NOW));
    room.giveBack(3);
    assertEquals(3, room.take(1, NOW));
  }

  @Test
  void aTakeWaitsForRoomAndGivesUpAtItsTime() throws Exception {
    ClaimRoom real = new ClaimRoom(1, System::nanoTime);
    assertEquals(1, real.take(1, NOW));
    assertEquals(0, real.take(1, Duration.ofMillis(20)), "nothing came free in time");

    CompletableFuture<Void> end =
        CompletableFuture.runAsync(
            () -> {
              sleep(50);
              real.ended();
            });
    long start = System.nanoTime();
    assertEquals(1, real.take(1, Duration.ofSeconds(30)));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "woken, not timed out");
    end.get();
  }

  @Test
  void aTakeForMoreWaitsUntilThatMuchIsFreeThenTakesAll() throws Exception {
    ClaimRoom real = new ClaimRoom(4, System::nanoTime);
    assertEquals(4, real.take(1, NOW));
    CompletableFuture<Void> ends =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 3; i++) {
                sleep(10);
                real.ended();
              }
            });
    assertEquals(3, real.take(3, Duration.ofSeconds(30)));
    ends.get();
    real.ended();
    assertEquals(1, real.take(3, Duration.ofMillis(20)), "what there is, in time");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
