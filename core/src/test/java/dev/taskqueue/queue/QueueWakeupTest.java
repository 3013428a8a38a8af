package dev.taskqueue.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.lease.Claimed;
import dev.taskqueue.lease.Claimer;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.task.NewTask;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import dev.taskqueue.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class QueueWakeupTest {

  @Test
  void anIdleWaitEndsWhenATaskIsEnqueued(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("default"));

    CompletableFuture<Optional<QueueWakeup.Woken>> woken =
        awaitAsync(wakeup, Duration.ofSeconds(20));
    Thread.sleep(200);
    assertFalse(woken.isDone(), "blocks while the queue is empty");

    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);

    assertEquals(
        Optional.of(new QueueWakeup.Woken("default", Optional.of(task.id().value()))),
        woken.get(5, TimeUnit.SECONDS),
        "the marker names the task at the front");
  }

  @Test
  void watchesEveryQueueOfAWorker(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("critical", "low"));

    NewTask task = f.tasks.task("low", "greeter", "{}");
    f.enqueuer.enqueue(task);

    assertEquals(
        Optional.of(new QueueWakeup.Woken("low", Optional.of(task.id().value()))),
        wakeup.await(Duration.ofSeconds(5)));
    assertEquals(Optional.empty(), wakeup.await(Duration.ofMillis(100)), "taken once");
  }

  @Test
  void doesNotWakeForAPausedQueue(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("critical", "low"));
    f.enqueuer.enqueue(f.tasks.task("low", "greeter", "{}"));

    assertEquals(Optional.empty(), wakeup.await(Duration.ofMillis(300), Set.of("low")));
    assertEquals(
        Optional.empty(),
        wakeup.await(Duration.ofMillis(300), Set.of("critical", "low")),
        "every queue paused: it sleeps");

    assertEquals(1, f.client.getScoredSortedSet(f.keys.marker("low")).size(), "left for later");
    assertEquals("low", wakeup.await(Duration.ofSeconds(1)).orElseThrow().queue());
  }

  /** The client sends whole seconds, and 0 is for ever: a shorter wait must still end. */
  @Test
  void aWaitShorterThanASecondEndsWithinOne(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("default"));

    long start = System.nanoTime();
    assertEquals(
        Optional.empty(), awaitAsync(wakeup, Duration.ofMillis(10)).get(10, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start < 5_000_000_000L);
  }

  @Test
  void aMarkerSetBeforeTheWaitIsNotMissed(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    assertTrue(
        new QueueWakeup(f.session.redis(), f.keys, List.of("default"))
            .await(Duration.ofSeconds(1))
            .isPresent());
  }

  @Test
  void aMarkerThatNamesNoTaskStillWakes(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    f.client.getScoredSortedSet(f.keys.marker("default")).add(0, QueueWakeup.ANY_TASK);

    assertEquals(
        Optional.of(new QueueWakeup.Woken("default", Optional.empty())),
        new QueueWakeup(f.session.redis(), f.keys, List.of("default"))
            .await(Duration.ofSeconds(1)));
  }

  /**
   * The point of naming the task: a worker woken for it claims it in one round trip (here also a
   * SCRIPT LOAD, the server being new), without reading the queue.
   */
  @Test
  void aWorkerWokenForATaskClaimsItWithoutReadingTheQueue() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral();
        Resp monitor = Resp.connect(server.port());
        Resp end = Resp.connect(server.port())) {
      LeaseFixture f = new LeaseFixture(new TestRedis(server, "woken"));
      Claimer claimer = f.claimer("w1");
      assertEquals(List.of(), claimer.claim("default", 10), "nothing pending yet");
      NewTask task = f.tasks.greeter("{}");
      f.enqueuer.enqueue(task);
      QueueWakeup.Woken woken =
          new QueueWakeup(f.session.redis(), f.keys, List.of("default"))
              .await(Duration.ofSeconds(1))
              .orElseThrow();

      monitor.send("MONITOR");
      claimer.woken(woken.queue(), woken.frontTask());
      List<Claimed> claimed = claimer.claim("default", 10);
      end.send("ECHO", "end-of-claim");
      List<List<String>> sent = sentUntil(monitor, "end-of-claim");

      assertEquals(task.id(), ((Claimed.Ready) claimed.get(0)).task().id());
      assertTrue(
          sent.stream().noneMatch(command -> command.get(1).equalsIgnoreCase("LRANGE")),
          "the queue was not read: " + sent);
      assertTrue(sent.stream().anyMatch(command -> command.get(1).equalsIgnoreCase("EVALSHA")));
    }
  }

  /** A marker's name is a hint: the task it named gone, the claim reads the queue as before. */
  @Test
  void aTaskNamedByAStaleMarkerIsSkippedAndTheFrontClaimed(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    NewTask gone = f.tasks.greeter("{\"n\":1}");
    NewTask next = f.tasks.greeter("{\"n\":2}");
    f.enqueuer.enqueue(gone);
    f.enqueuer.enqueue(next);
    assertEquals(gone.id(), f.claimOne("default", "w0").task().id(), "another worker took it");

    Claimer claimer = f.claimer("w1");
    claimer.woken("default", Optional.of(gone.id().value()));
    List<Claimed> claimed = claimer.claim("default", 10);

    assertEquals(1, claimed.size());
    assertEquals(next.id(), ((Claimed.Ready) claimed.get(0)).task().id());
  }

  /**
   * A claim whose reply shows nothing left pending lets the worker wait on the marker without
   * reading the queue: any task enqueued since has set the marker. Only once, so that a marker lost
   * in a Redis restart costs at most one wait; and only when every queue the worker serves was left
   * so, or it would skip an earlier queue for a later one.
   */
  @Test
  void aClaimThatLeftTheQueueEmptyLetsTheWorkerWaitWithoutReadingItOnce(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    Claimer claimer = f.claimer("w1");
    assertFalse(claimer.takeDrained(List.of("default")), "nothing claimed yet");
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    assertEquals(1, claimer.claim("default", 1).size());
    assertFalse(claimer.takeDrained(List.of("default")), "one more is pending");
    assertEquals(1, claimer.claim("default", 10).size(), "the last pending task");

    assertFalse(claimer.takeDrained(List.of("default", "other")), "the other queue is unknown");
    assertTrue(claimer.takeDrained(List.of("default")));
    assertFalse(claimer.takeDrained(List.of("default")), "once");
  }

  /**
   * A wake for a task a stopping worker released, after a claim that emptied the queue: the marker
   * names the released task, and the worker claims it rather than waiting for a marker the wake
   * already took.
   */
  @Test
  void aWakeForAReleasedTaskEndsWhatTheClaimerKnewOfTheQueue(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    Claimer claimer = f.claimer("w1");
    NewTask task = claimAndRelease(f, claimer);
    QueueWakeup.Woken woken = awaitWoken(f);
    assertEquals(Optional.of(task.id().value()), woken.frontTask(), "names the released task");

    assertClaimsAfter(claimer, woken, task);
  }

  /**
   * A marker that names no task, as scripts before 2026-12-05 set it for a release (and processes
   * of that version may still share the Redis), ends what the claimer knew too: it reads the queue.
   */
  @Test
  void aWakeForNoNamedTaskEndsWhatTheClaimerKnewOfTheQueue(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    Claimer claimer = f.claimer("w1");
    NewTask task = claimAndRelease(f, claimer);
    f.client.getKeys().delete(f.keys.marker("default"));
    f.client.getScoredSortedSet(f.keys.marker("default")).add(0, QueueWakeup.ANY_TASK);
    QueueWakeup.Woken woken = awaitWoken(f);
    assertEquals(Optional.empty(), woken.frontTask());

    assertClaimsAfter(claimer, woken, task);
  }

  /** A task submitted, claimed by {@code claimer} (which empties the queue) and released. */
  private static NewTask claimAndRelease(LeaseFixture f, Claimer claimer) {
    NewTask task = f.tasks.greeter("{}");
    f.enqueuer.enqueue(task);
    f.recorder.release(claimer.claim("default", 10).get(0).lease());
    return task;
  }

  private static QueueWakeup.Woken awaitWoken(LeaseFixture f) throws InterruptedException {
    return new QueueWakeup(f.session.redis(), f.keys, List.of("default"))
        .await(Duration.ofSeconds(1))
        .orElseThrow();
  }

  /** Once {@code woken} is told, the claimer does not take the queue as drained, and claims. */
  private static void assertClaimsAfter(Claimer claimer, QueueWakeup.Woken woken, NewTask task) {
    claimer.woken(woken.queue(), woken.frontTask());

    assertFalse(claimer.takeDrained(List.of("default")));
    List<Claimed> claimed = claimer.claim("default", 10);
    assertEquals(1, claimed.size());
    assertEquals(task.id(), ((Claimed.Ready) claimed.get(0)).task().id());
  }

  /**
   * The worker's fast way from a wake-up to a claim: the marker goes to the action on the thread
   * that took it, the wait returns once what the action started has ended, and the marker is not
   * returned as well.
   */
  @Test
  void aMarkerTakenWhileWaitingGoesToTheActionOnTheThreadThatTookIt(TestRedis redis)
      throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("default"));
    CompletableFuture<QueueWakeup.Woken> given = new CompletableFuture<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread waiter = Thread.currentThread();
    NewTask task = f.tasks.greeter("{}");
    CompletableFuture<Void> producer =
        CompletableFuture.runAsync(
            () -> {
              sleep(200);
              f.enqueuer.enqueue(task);
              // What the action started ends only now: the wait must still be waiting for it.
              sleep(300);
              started.complete(null);
            });

    long start = System.nanoTime();
    Optional<QueueWakeup.Woken> returned =
        wakeup.await(
            Duration.ofSeconds(10),
            Set.of(),
            woken -> {
              assertTrue(Thread.currentThread() != waiter, "on the thread that took the marker");
              given.complete(woken);
              return started;
            });

    producer.get(5, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), returned, "the action had the marker");
    assertTrue(started.isDone(), "returned once what the action started had ended");
    assertEquals(
        new QueueWakeup.Woken("default", Optional.of(task.id().value())), given.getNow(null));
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "did not wait on after the action");
  }

  /**
   * An action that asks to wait on is given the next marker too, taken by a wait sent from the
   * thread that ran it, while the caller sleeps on; the call returns once the action asks no more.
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anActionThatAsksToWaitOnIsGivenTheNextMarkerToo(TestRedis redis) throws Exception {
    LeaseFixture f = new LeaseFixture(redis);
    QueueWakeup wakeup = new QueueWakeup(f.session.redis(), f.keys, List.of("default"));
    NewTask first = f.tasks.greeter("{}");
    NewTask second = f.tasks.greeter("{}");
    List<QueueWakeup.Woken> given = new CopyOnWriteArrayList<>();
    Thread waiter = Thread.currentThread();
    // Each enqueued while a wait is under way, so that the thread that takes its marker is the
    // client's (one set before the wait may be taken before the caller has attached the action,
    // which then runs on the caller's thread).
    CompletableFuture<Void> producer =
        CompletableFuture.runAsync(
            () -> {
              sleep(200);
              f.enqueuer.enqueue(first);
              sleep(200);
              f.enqueuer.enqueue(second);
            });

    Optional<QueueWakeup.Woken> returned =
        wakeup.await(
            Duration.ofSeconds(10),
            Set.of(),
            woken -> {
              assertTrue(Thread.currentThread() != waiter, "not on the waiting thread");
              given.add(woken);
              return CompletableFuture.completedFuture(
                  given.size() == 1
                      ? QueueWakeup.AfterAction.WAIT_ON
                      : QueueWakeup.AfterAction.RETURN);
            });

    producer.get(5, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), returned, "the action had both markers");
    assertEquals(
        List.of(
            new QueueWakeup.Woken("default", Optional.of(first.id().value())),
            new QueueWakeup.Woken("default", Optional.of(second.id().value()))),
        given);
  }

  /**
   * An action that fails with an error, not an exception, still ends the wait, which throws it: a
   * waiting thread left to wait for that action's end would wait for ever.
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anActionThatFailsWithAnErrorFailsTheWait(TestRedis redis) throws Exception {
    QueueWakeup wakeup = withOneTaskEnqueued(redis);

    CompletionException thrown =
        assertThrows(
            CompletionException.class,
            () ->
                wakeup.await(
                    Duration.ofSeconds(5),
                    Set.of(),
                    given -> {
                      throw new AssertionError("the action's own check");
                    }));

    assertEquals("the action's own check", thrown.getCause().getMessage());
  }

  /** An action that always asks to wait on still lets the call end once its time is up. */
  @Test
  void waitingOnEndsWithTheCallsTime(TestRedis redis) throws Exception {
    QueueWakeup wakeup = withOneTaskEnqueued(redis);

    long start = System.nanoTime();
    Optional<QueueWakeup.Woken> returned =
        wakeup.await(
            Duration.ofSeconds(1),
            Set.of(),
            woken -> CompletableFuture.completedFuture(QueueWakeup.AfterAction.WAIT_ON));

    assertEquals(Optional.empty(), returned);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    // Its last wait, sent before the time was up, lasts a whole second at most.
    assertTrue(seconds < 3, "returned after " + seconds + " s");
  }

  /** What the action started failed: the wait says so, as a wait that failed itself would. */
  @Test
  void anActionThatFailsFailsTheWait(TestRedis redis) throws Exception {
    QueueWakeup wakeup = withOneTaskEnqueued(redis);

    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () ->
                wakeup.await(
                    Duration.ofSeconds(5),
                    Set.of(),
                    given -> CompletableFuture.failedFuture(new IllegalStateException("claim"))));

    assertEquals("claim", thrown.getMessage());
    assertEquals(Optional.empty(), wakeup.await(Duration.ofMillis(100)), "taken once");
  }

  /** A wait on the queue {@code default}, whose marker one task's enqueue has already set. */
  private static QueueWakeup withOneTaskEnqueued(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));
    return new QueueWakeup(f.session.redis(), f.keys, List.of("default"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The commands clients sent, as MONITOR showed them, until {@code marker} was echoed; not the
   * client library's keep-alive PINGs.
   */
  private static List<List<String>> sentUntil(Resp monitor, String marker) throws Exception {
    return monitor.monitoredUntil(marker).stream()
        .filter(command -> command.get(0).equals("client"))
        .filter(command -> !command.get(1).equalsIgnoreCase("PING"))
        .toList();
  }

  private static CompletableFuture<Optional<QueueWakeup.Woken>> awaitAsync(
      QueueWakeup wakeup, Duration timeout) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return wakeup.await(timeout);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
