package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A claimer's requests of claim.lua: numbered after every request before them, stand-bys too; one
 * at a time; the one unanswered for no more than the room kept for it; a repeat answered with what
 * the first copy took. (Requests whose replies are lost are LostReplyTest's.)
 */
@ExtendWith(RedisExtension.class)
class ClaimRequestsTest {
  private LeaseFixture f;
  private ClaimRequests requests;
  private final List<String> queued = new ArrayList<>();

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    requests =
        new ClaimRequests(
            f.session.redis(),
            f.clock,
            new ClaimCalls(f.keys, "w1", "host-1", Duration.ofSeconds(3)));
    for (int i = 0; i < 3; i++) {
      NewTask task = f.tasks.greeter("{}");
      f.enqueuer.enqueue(task);
      queued.add(task.id().value());
    }
  }

  @Test
  void aRequestIsNumberedAfterEveryOneBeforeItStandBysToo() {
    assertEquals(1, requests.nextNumber(), "a stand-by's");
    assertEquals(2, requests.open("default", 1, queued).number());
  }

  @Test
  void aNewRequestMayNotLeaveWhileOneIsUnanswered() {
    requests.open("default", 1, queued);

    assertTrue(requests.awaitingReply());
    IllegalStateException bug =
        assertThrows(IllegalStateException.class, () -> requests.open("default", 1, queued));
    assertEquals("bug: a new claim while one is unanswered", bug.getMessage());
  }

  @Test
  void theUnansweredRequestIsForNoMoreThanTheRoomKeptForIt() {
    assertNull(requests.unanswered(0), "none yet");
    ClaimRequests.Request request = requests.open("default", 2, queued);

    assertEquals(List.of(queued.get(0), queued.get(1)), request.ids(), "as many as it may take");
    assertSame(request, requests.unanswered(2));
    IllegalStateException bug =
        assertThrows(IllegalStateException.class, () -> requests.unanswered(1));
    assertEquals("bug: an unanswered claim for 2 tasks but 1 free slots", bug.getMessage());
  }

  @Test
  void anAnswerSaysWhatWasLeasedAndTheFrontLeftWholeWhenThatIsAllThatIsPending() {
    ClaimRequests.Answer answer = requests.send(requests.open("default", 2, queued), false);

    assertFalse(requests.awaitingReply());
    assertEquals(List.of(queued.get(0), queued.get(1)), ids(answer.claimed()));
    assertEquals(List.of(queued.get(2)), answer.front());
    assertTrue(answer.whole(), "one left of the two asked for: all that is pending");
    assertFalse(answer.paused());
    assertFalse(answer.handed());
  }

  @Test
  void aRepeatIsAnsweredWithWhatTheFirstCopyTookAndNeverTakesTheFrontAsWhole() {
    ClaimRequests.Request request = requests.open("default", 2, queued);
    List<String> first = ids(requests.send(request, false).claimed());

    ClaimRequests.Answer again = requests.send(request, true);

    assertEquals(first, ids(again.claimed()), "the same leases, none more");
    assertFalse(again.whole());
    ClaimRequests.Request next = requests.open("default", 2, List.of(queued.get(2)));
    assertEquals(
        List.of(queued.get(2)),
        ids(requests.send(next, false).claimed()),
        "the task the first copy left is still pending");
  }

  private static List<String> ids(List<Claimed> claimed) {
    List<String> ids = new ArrayList<>();
    claimed.forEach(task -> ids.add(task.lease().taskId().value()));
    return ids;
  }
}
