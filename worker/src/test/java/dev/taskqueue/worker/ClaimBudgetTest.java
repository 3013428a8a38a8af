package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.lease.Lease;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.task.TaskId;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room the dispatcher claims for: slots' room and lease room taken together, what a claim did
 * not use given back to both, and tasks handed beyond the room taking lease room below none. (The
 * room kept for a claim whose reply was lost is {@link LostClaimTest}'s.)
 */
@ExtendWith(RedisExtension.class)
class ClaimBudgetTest {
  private static final int SLOTS = 4;
  private static final Duration NO_WAIT = Duration.ZERO;

  private ClaimRoom room;
  private HeldLeases held;
  private ClaimBudget budget;

  @BeforeEach
  void setUp(TestRedis redis) {
    RedisSession session = TestSessions.open(redis);
    room = new ClaimRoom(SLOTS, System::nanoTime);
    held = new HeldLeases(2);
    Claimer claimer =
        new Claimer(
            session.redis(),
            session.keys(),
            Clock.systemUTC(),
            "w-1",
            "host",
            Duration.ofSeconds(3));
    budget = new ClaimBudget(room, held, claimer, SLOTS);
  }

  @Test
  void aClaimIsMadeForNoMoreThanTheLeaseRoomAndTheRestOfTheSlotsRoomGoesBack() throws Exception {
    int taken = budget.take(NO_WAIT);
    assertEquals(SLOTS, taken, "every slot is free");

    assertEquals(2, budget.reserve(taken, NO_WAIT), "two leases may be held");
    assertEquals(2, room.held(), "the slots' room the leases could not cover is given back");
  }

  @Test
  void whatAClaimDidNotTakeGoesBackToBoth() throws Exception {
    int free = budget.reserve(budget.take(NO_WAIT), NO_WAIT);

    budget.settle(free - 1);

    assertEquals(1, room.held());
    assertEquals(1, held.reserve(2, NO_WAIT), "one lease's room, the claimed task's, stays taken");
  }

  @Test
  void aWaitTakesNoRoomWhileTheHeartbeatFails() throws Exception {
    assertEquals(0, budget.forWait(false));
    assertEquals(0, room.held(), "the room it looked at is given back");

    assertEquals(2, budget.forWait(true), "what the leases allow");
  }

  @Test
  void tasksHandedBeyondTheRoomTakeLeaseRoomBelowNoneAndThoseAlreadyHeldAreLeftOut()
      throws Exception {
    Lease runs = lease("01a22f5a-0c31-733c-ae91-0f1b4f884011");
    assertEquals(2, budget.reserve(budget.take(NO_WAIT), NO_WAIT));
    budget.settle(1);
    held.hold(runs);

    List<Claimed> fresh =
        budget.beyondRoom(
            List.of(
                new Claimed.Corrupt(runs, "held already"),
                new Claimed.Corrupt(lease("01a22f5a-0c31-733c-ae91-0f1b4f884012"), "new"),
                new Claimed.Corrupt(lease("01a22f5a-0c31-733c-ae91-0f1b4f884013"), "new")));

    assertEquals(2, fresh.size(), "the lease held already is left out");
    assertEquals(3, room.held(), "the running task and the two handed beyond the room");
    assertEquals(0, held.reserve(1, NO_WAIT), "no lease room left: it went below none");
    held.unreserve(2);
    assertEquals(1, held.reserve(2, NO_WAIT), "one below none: two given back leave room for one");
  }

  private static Lease lease(String id) {
    return new Lease(TaskId.parse(id), "default", "w-1", 1, Instant.EPOCH);
  }
}
