package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.lease.Lease;
import dev.taskqueue.lease.Renewal;
import dev.taskqueue.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The room for leases a worker may hold: reserved before a claim, given back as attempts end. */
class HeldLeasesTest {
  private static final Duration NO_WAIT = Duration.ZERO;

  @Test
  void outcomesWaitingForRedisAreFourASlotOr200WhicheverIsMore() {
    assertEquals(200, Worker.outcomesWaiting(4), "the default slots: as many as fifty's");
    assertEquals(200, Worker.outcomesWaiting(50));
    assertEquals(400, Worker.outcomesWaiting(100));
  }

  @Test
  void aReservationTakesWhatItAsksAndLeavesTheRest() throws Exception {
    HeldLeases held = new HeldLeases(100);

    assertEquals(10, held.reserve(10, NO_WAIT));
    assertEquals(90, held.reserve(1000, NO_WAIT), "the rest, not less");
    assertEquals(0, held.reserve(1, NO_WAIT), "none left");
  }

  @Test
  void roomComesBackWhenUnreservedOrWhenALeaseIsForgottenOrLost() throws Exception {
    HeldLeases held = new HeldLeases(3);
    assertEquals(3, held.reserve(3, NO_WAIT));
    held.unreserve(1);
    Lease a = lease("01a22f5a-0c31-733c-ae91-0f1b4f884011", 1);
    Lease b = lease("01a22f5a-0c31-733c-ae91-0f1b4f884012", 1);
    held.hold(a);
    held.hold(b);

    held.forget(a);
    held.forget(a);
    held.renewed(new Renewal(b, Optional.empty(), Optional.empty()));
    held.forget(b);

    assertEquals(3, held.reserve(10, NO_WAIT), "each lease gave its room back once");
    assertEquals(0, held.size());
  }

  @Test
  void aLeaseDisplacedByALaterAttemptAtTheSameTaskGivesItsRoomBack() throws Exception {
    HeldLeases held = new HeldLeases(2);
    assertEquals(2, held.reserve(2, NO_WAIT));
    Lease first = lease("01a22f5a-0c31-733c-ae91-0f1b4f884011", 1);
    held.hold(first);
    held.hold(lease("01a22f5a-0c31-733c-ae91-0f1b4f884011", 2));

    held.forget(first);

    assertEquals(1, held.reserve(2, NO_WAIT));
    assertEquals(1, held.size());
  }

  private static Lease lease(String id, long token) {
    return new Lease(new TaskId(id), "default", "w1", token, Instant.EPOCH.plusSeconds(60));
  }
}
