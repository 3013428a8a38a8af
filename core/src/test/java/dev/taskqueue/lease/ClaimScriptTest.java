package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * claim.lua called directly, for what {@link Claimer} cannot stage: another worker taking tasks
 * between the read and the claim, and the same request arriving twice or late (issue 12, item 2).
 */
@ExtendWith(RedisExtension.class)
class ClaimScriptTest {
  private LeaseFixture f;
  private final List<NewTask> tasks = new ArrayList<>();

  @BeforeEach
  void setUp(TestRedis redis) {
    f = new LeaseFixture(redis);
    for (int i = 0; i < 5; i++) {
      NewTask task = f.tasks.greeter("{}");
      f.enqueuer.enqueue(task);
      tasks.add(task);
    }
  }

  @Test
  void skipsWhatAnotherWorkerTookAndKeepsTheRestInOrder() {
    // Both saw t0, t1, t2 at the front; the other worker took t0 first.
    claim("other", 1, 1, ids(0, 1, 2));

    List<String> mine = taken(claim("me", 1, 2, ids(0, 1, 2)));

    assertEquals(ids(1, 2), mine);
    assertEquals(
        List.of(id(4), id(3)), f.state().get(f.keys.pending("default")), "the rest, in order");
  }

  @Test
  void takesTheIdsItSawEvenWhenOthersWerePutInFrontMeanwhile() {
    claim("other", 1, 1, ids(0));
    f.recorder.release(lease(0, "other", 1));
    // pending, front last: t4 t3 t2 t1 t0 (t0 released to the front)

    List<String> mine = taken(claim("me", 1, 2, ids(1, 2)));

    assertEquals(ids(1, 2), mine);
    assertEquals(List.of(id(4), id(3), id(0)), f.state().get(f.keys.pending("default")));
  }

  @Test
  void theSameRequestAgainReturnsWhatItTookAndTakesNothingMore() {
    List<?> first = claim("me", 7, 2, ids(0, 1));
    Map<String, Object> after = f.state();

    List<?> again = claim("me", 7, 2, ids(0, 1));

    assertEquals(first, again);
    assertEquals(after, f.state(), "nothing more was leased");
  }

  @Test
  void aRepeatRenewsTheLeasesItReturnsFromWhenItWasSent() {
    claim("me", 7, 2, ids(0, 1));
    // Past the first copy's lease (5 s): held up in a paused Redis with the worker's repeat.
    f.clock.advance(Duration.ofSeconds(6));

    List<?> again = claim("me", 7, 2, ids(0, 1));

    long renewed = f.clock.millis() + 5000;
    for (Object entry : again) {
      String id = (String) ((List<?>) entry).get(0);
      assertEquals(renewed, ((Number) ((List<?>) entry).get(2)).longValue(), "replied: " + id);
      assertEquals(
          String.valueOf(renewed),
          f.client.getMap(f.keys.task("default", id)).get("lease_expires_at"),
          "in the hash: " + id);
      assertEquals(
          (double) renewed,
          f.client.getScoredSortedSet(f.keys.timeout("default")).getScore(id),
          "in timeout: " + id);
    }
    assertEquals(ids(0, 1), taken(again));
  }

  @Test
  void theSameRequestAgainLeavesOutWhatItNoLongerHolds() {
    claim("me", 7, 2, ids(0, 1));
    f.recorder.release(lease(0, "me", 1));

    assertEquals(ids(1), taken(claim("me", 7, 2, ids(0, 1))));
  }

  @Test
  void aLateCopyOfAnOlderRequestTakesNothing() {
    claim("me", 8, 1, ids(0));
    Map<String, Object> after = f.state();

    assertEquals(List.of(), claim("me", 7, 2, ids(1, 2)));
    assertEquals(after, f.state());
  }

  @Test
  void theReplyEndsWithTheFrontAsTheClaimLeftItOldestFirst() {
    // t0..t4 pending; another worker took t1.
    claim("other", 1, 1, ids(1));

    List<?> reply = claimWithFront("me", 1, 2, ids(0, 1, 2));

    assertEquals(ids(0, 2), taken((List<?>) reply.get(0)));
    assertEquals(ids(3, 4), reply.get(1), "what to claim next, without reading the queue");
  }

  @Test
  void theFrontIsEmptyOnceTheQueueIsAndForARepeat() {
    claim("me", 1, 5, ids(0, 1, 2, 3, 4));

    assertEquals(List.of(), claimWithFront("me", 2, 5, ids(0)).get(1), "nothing left");
    assertEquals(List.of(), claimWithFront("me", 2, 5, ids(0)).get(1), "a repeat");
  }

  @Test
  void aClaimThatReadAllOfPendingLeavesTheMarkerOnWhatIsLeftWithoutAskingAgain() {
    claim("other", 1, 2, ids(0, 1));
    // pending, front last: t4 t3 t2. This worker saw t2 and t4 only: it takes both, t3 stays.

    List<?> reply = claimWithFront("me", 1, 2, ids(2, 4));

    assertEquals(ids(2, 4), taken((List<?>) reply.get(0)));
    assertEquals(ids(3), reply.get(1));
    assertEquals(List.of(id(3)), f.state().get(f.keys.pending("default")));
    assertEquals(List.of(id(3)), markerMembers(), "the marker names what is left");

    reply = claimWithFront("me", 2, 1, ids(3));

    assertEquals(ids(3), taken((List<?>) reply.get(0)));
    assertEquals(List.of(), reply.get(1));
    assertEquals(null, f.state().get(f.keys.pending("default")));
    assertEquals(List.of(), markerMembers(), "nothing left: no marker");
  }

  @Test
  void aPausedQueueSaysSoAndARepeatStillReturnsWhatItsFirstCopyTook() {
    List<?> first = claim("me", 7, 2, ids(0, 1));
    f.client.getBucket(f.keys.paused("default")).set("1");

    assertEquals(first, claim("me", 7, 2, ids(0, 1)), "a repeat");
    List<?> reply = claimWithFront("me", 8, 2, ids(2, 3));

    assertEquals(
        List.of(List.of(), List.of(), 1L), List.of(reply.get(0), reply.get(1), reply.get(3)));
    assertEquals(List.of(id(4), id(3), id(2)), f.state().get(f.keys.pending("default")));
    assertEquals(null, f.state().get(f.keys.marker("default")));
  }

  @Test
  void aClaimStopsAtTheTaskWhosePayloadsBringItToItsBytesAndNamesTheRestAsTheFront() {
    // Each payload is "{}": two bytes. Four bytes are reached with the second task.
    List<?> reply = claimWithFront("me", 1, 5, 4, ids(0, 1, 2, 3, 4));

    assertEquals(ids(0, 1), taken((List<?>) reply.get(0)));
    assertEquals(ids(2, 3, 4), reply.get(1), "what to claim next");
    assertEquals(
        List.of(id(4), id(3), id(2)), f.state().get(f.keys.pending("default")), "in order");
    assertEquals(List.of(id(1), id(0)), f.state().get(f.keys.processing("default")));
  }

  @Test
  void aTaskWhosePayloadAloneIsOverTheBytesIsStillClaimed() {
    List<?> reply = claimWithFront("me", 1, 5, 1, ids(0, 1, 2, 3, 4));

    assertEquals(ids(0), taken((List<?>) reply.get(0)));
    assertEquals(ids(1, 2, 3, 4), reply.get(1));
  }

  @Test
  void aNewerRequestClaimsAgain() {
    claim("me", 1, 1, ids(0));

    assertEquals(ids(1), taken(claim("me", 2, 1, ids(1))));
  }

  /** Sends claim.lua as {@link Claimer} does, with claimer id = worker id; what it claimed. */
  private List<?> claim(String worker, long request, int max, List<String> ids) {
    return (List<?>) claimWithFront(worker, request, max, ids).get(0);
  }

  /** The whole reply: {claimed, front}. */
  private List<?> claimWithFront(String worker, long request, int max, List<String> ids) {
    return claimWithFront(worker, request, max, Claimer.MOST_PAYLOAD_BYTES, ids);
  }

  /** The whole reply of a claim that carries at most {@code mostBytes} of payloads, about. */
  private List<?> claimWithFront(
      String worker, long request, int max, int mostBytes, List<String> ids) {
    List<String> keys = new ArrayList<>();
    keys.add(f.keys.pending("default"));
    keys.add(f.keys.processing("default"));
    keys.add(f.keys.timeout("default"));
    keys.add(f.keys.marker("default"));
    keys.add(f.keys.claimRecord("default", worker));
    keys.add(f.keys.paused("default"));
    ids.forEach(id -> keys.add(f.keys.task("default", id)));
    keys.add(f.keys.standing("default"));
    keys.add(f.keys.handoff("default", worker));
    List<Object> args = new ArrayList<>(List.of(worker, request, f.clock.millis(), max, 5000));
    args.add(600_000);
    args.add(max);
    args.add(LeaseFixture.host(worker));
    args.add(mostBytes);
    args.addAll(ids);
    return (List<?>) f.session.redis().scripts().evalPacked(LuaScript.CLAIM, keys, args);
  }

  private List<String> markerMembers() {
    return List.copyOf(f.client.<String>getScoredSortedSet(f.keys.marker("default")).readAll());
  }

  private static List<String> taken(List<?> reply) {
    return reply.stream().map(entry -> String.valueOf(((List<?>) entry).get(0))).toList();
  }

  private Lease lease(int task, String worker, long token) {
    return new Lease(
        tasks.get(task).id(), "default", worker, token, f.clock.instant().plusSeconds(60));
  }

  private String id(int task) {
    return tasks.get(task).id().value();
  }

  private List<String> ids(int... indexes) {
    List<String> ids = new ArrayList<>();
    for (int i : indexes) {
      ids.add(id(i));
    }
    return ids;
  }
}
