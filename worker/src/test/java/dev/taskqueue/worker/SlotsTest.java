package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// A slot that spins holds the lock the test waits for: the test fails instead of hanging.
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SlotsTest {
  private static final Duration STUCK_AFTER = Duration.ofMillis(1);
  private static final Duration LONG = Duration.ofSeconds(10);

  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** Daemon threads: a slot stuck by a bug fails its test instead of keeping the JVM alive. */
  private final ThreadFactory factory =
      r -> {
        Thread thread = new Thread(r, "slot-test-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
      };

  private final List<Slots> made = new ArrayList<>();

  @AfterEach
  void endThreads() throws InterruptedException {
    AtomicBoolean ended = new AtomicBoolean();
    // From another thread: a slot that never lets go of the lock would hold this one too.
    Thread closer =
        new Thread(
            () -> {
              try {
                for (Slots slots : made) {
                  slots.shutdown();
                  slots.awaitTermination(LONG);
                }
                ended.set(true);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    closer.setDaemon(true);
    closer.start();
    closer.join(2 * LONG.toMillis());
    assertTrue(ended.get(), "the slots did not end: a task left running, or a slot holds the lock");
  }

  private Slots slots(int size, int active, LongSupplier nanoTime) {
    Slots slots = new Slots(size, active, STUCK_AFTER, nanoTime, factory);
    made.add(slots);
    return slots;
  }

  @Test
  void runsEveryTaskOnceInTheOrderHandedOverWhenOneSlotIsActive() throws InterruptedException {
    Slots slots = slots(4, 1, SlotsTest::frozen);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    for (int claim = 0; claim < 20; claim++) {
      List<Runnable> tasks = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        int index = 50 * claim + i;
        tasks.add(() -> ran.add(index));
      }
      slots.execute(tasks);
    }
    slots.shutdown();
    assertTrue(slots.awaitTermination(LONG));
    assertEquals(IntStream.range(0, 1000).boxed().toList(), ran);
  }

  @Test
  void aBurstOfShortTasksWakesAFewThreadsNotOneATask() throws InterruptedException {
    Slots slots = slots(50, 2, SlotsTest::frozen);
    AtomicInteger ran = new AtomicInteger();
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 50; i++) {
        slots.execute(ran::incrementAndGet);
      }
    }
    slots.shutdown();
    assertTrue(slots.awaitTermination(LONG));
    assertEquals(1000, ran.get());
    // Two taking tasks and a watcher (or one looking for the next): not one thread per task.
    assertTrue(threads.size() <= 3, "threads started: " + threads.size());
  }

  @Test
  void waitingTasksCanBeTakenBackInOrderAndOnlyThoseNotStarted() throws InterruptedException {
    Slots slots = slots(1, 1, System::nanoTime);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    Runnable first =
        () -> {
          started.countDown();
          awaitQuietly(release);
        };
    List<Runnable> behind = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int index = i;
      behind.add(() -> ran.add(index));
    }
    slots.execute(first);
    assertTrue(started.await(LONG.toSeconds(), TimeUnit.SECONDS));
    slots.execute(behind);

    List<Runnable> removed =
        slots.removeWaiting(task -> task == first || behind.indexOf(task) % 2 == 1);
    release.countDown();
    slots.shutdown();
    assertTrue(slots.awaitTermination(LONG));

    assertEquals(List.of(behind.get(1), behind.get(3)), removed, "the running one stays");
    assertEquals(List.of(0, 2), ran);
  }

  @Test
  void aStuckTaskDoesNotHoldUpTheTasksBehindIt() throws InterruptedException {
    Slots slots = slots(4, 1, System::nanoTime);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch behindRan = new CountDownLatch(1);
    slots.execute(() -> awaitQuietly(release));
    slots.execute(behindRan::countDown);
    try {
      assertTrue(behindRan.await(LONG.toSeconds(), TimeUnit.SECONDS));
    } finally {
      release.countDown();
    }
  }

  @Test
  void noMoreThanSizeRunAtOnceAndTheRestStartAsSlotsFree() throws InterruptedException {
    Slots slots = slots(3, 1, System::nanoTime);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(5);
    for (int i = 0; i < 5; i++) {
      slots.execute(
          () -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            awaitQuietly(release);
            running.decrementAndGet();
            done.countDown();
          });
    }
    long deadline = System.nanoTime() + LONG.toNanos();
    while (running.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(3, running.get(), "the three slots take three stuck tasks");
    // Many watcher periods later, still three: the other two wait for a slot.
    Thread.sleep(50);
    assertEquals(3, running.get());
    release.countDown();
    assertTrue(done.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(3, most.get());
    assertEquals(3, threads.size());
  }

  @Test
  void aTaskHandedOverWhileEverySlotSleepsStarts() throws InterruptedException {
    Slots slots = slots(2, 1, SlotsTest::frozen);
    for (int i = 0; i < 3; i++) {
      CountDownLatch ran = new CountDownLatch(1);
      slots.execute(ran::countDown);
      assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
      Thread.sleep(20);
    }
  }

  @Test
  void afterShutdownTheTasksHandedOverRunThenEveryThreadEnds() throws InterruptedException {
    // One active slot, its task never stuck: the other hundred wait for it, watched, through the
    // shutdown.
    Slots slots = slots(8, 1, SlotsTest::frozen);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    slots.execute(() -> awaitQuietly(release));
    for (int i = 0; i < 100; i++) {
      slots.execute(ran::incrementAndGet);
    }
    slots.shutdown();
    assertThrows(RejectedExecutionException.class, () -> slots.execute(ran::incrementAndGet));
    assertFalse(slots.awaitTermination(Duration.ofMillis(50)), "a task still runs");
    release.countDown();
    assertTrue(slots.awaitTermination(LONG));
    assertEquals(100, ran.get());
    for (Thread thread : threads) {
      thread.join(LONG.toMillis());
      assertFalse(thread.isAlive(), thread.getName());
    }
  }

  @Test
  void awaitTerminationIsFalseUntilShutDown() throws InterruptedException {
    Slots slots = slots(2, 1, SlotsTest::frozen);
    CountDownLatch ran = new CountDownLatch(1);
    slots.execute(ran::countDown);
    assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertFalse(slots.awaitTermination(Duration.ofMillis(20)));
  }

  @Test
  void aTaskThatThrowsLeavesItsSlotWorking() throws InterruptedException {
    Slots slots = slots(1, 1, SlotsTest::frozen);
    CountDownLatch ran = new CountDownLatch(1);
    slots.execute(
        () -> {
          throw new IllegalStateException("thrown on purpose by the test");
        });
    slots.execute(ran::countDown);
    assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(1, threads.size());
  }

  @Test
  void anInterruptLeftByOneTaskDoesNotReachTheNext() throws InterruptedException {
    Slots slots = slots(1, 1, SlotsTest::frozen);
    List<Boolean> interrupted = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    slots.execute(() -> Thread.currentThread().interrupt());
    slots.execute(
        () -> {
          interrupted.add(Thread.currentThread().isInterrupted());
          ran.countDown();
        });
    assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(List.of(false), interrupted);
  }

  @Test
  void whenAThreadCannotStartTheRunningSlotsTakeTheWaitingTasks() throws InterruptedException {
    Slots slots = slotsStarting(1, 4, 1, System::nanoTime);
    AtomicInteger ran = new AtomicInteger();
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tasks.add(
          () -> {
            sleepQuietly(3); // each looks stuck: the watcher asks for more slots
            ran.incrementAndGet();
          });
    }
    slots.execute(tasks);
    awaitCount(ran, 20);
    assertEquals(1, threads.size(), "the one thread that could start ran them all");
  }

  @Test
  void whenNoThreadCanStartTheCallerRunsTheTasks() {
    Slots slots = slotsStarting(0, 4, 2, System::nanoTime);
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    slots.execute(List.of(() -> ranOn.add(Thread.currentThread()), () -> ranOn.add(null)));
    assertEquals(2, ranOn.size(), "both ran before execute returned");
    assertEquals(Thread.currentThread(), ranOn.get(0));
  }

  /** For a caller that must not block (the client's event loop): it gets them back to hand on. */
  @Test
  void whenNoThreadCanStartAnOfferReturnsTheTasksUnrun() {
    Slots slots = slotsStarting(0, 4, 2, System::nanoTime);
    AtomicInteger ran = new AtomicInteger();
    Runnable first = ran::incrementAndGet;
    Runnable second = ran::incrementAndGet;

    assertEquals(List.of(first, second), slots.offer(List.of(first, second)));
    assertEquals(0, ran.get(), "none ran on the caller's thread");
  }

  @Test
  void anOfferToSlotsWithThreadsReturnsNothingAndTheTasksRun() throws InterruptedException {
    Slots slots = slotsStarting(4, 4, 2, System::nanoTime);
    CountDownLatch ran = new CountDownLatch(2);

    assertEquals(List.of(), slots.offer(List.of(ran::countDown, ran::countDown)));
    assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void aThreadThatFailedToStartIsTriedAgainOnlyAfterAWhile() throws InterruptedException {
    AtomicLong now = new AtomicLong();
    AtomicInteger tries = new AtomicInteger();
    ThreadFactory failingOnce =
        r -> {
          if (tries.incrementAndGet() == 1) {
            throw new OutOfMemoryError("unable to create native thread (a test)");
          }
          return factory.newThread(r);
        };
    Slots slots = new Slots(2, 1, STUCK_AFTER, now::get, failingOnce);
    made.add(slots);
    slots.execute(() -> {});
    slots.execute(() -> {});
    assertEquals(1, tries.get(), "not tried again at once");
    now.addAndGet(Slots.START_RETRY.toNanos());
    List<Thread> ranOn = new CopyOnWriteArrayList<>();
    CountDownLatch ran = new CountDownLatch(1);
    slots.execute(
        () -> {
          ranOn.add(Thread.currentThread());
          ran.countDown();
        });
    assertTrue(ran.await(LONG.toSeconds(), TimeUnit.SECONDS));
    assertEquals(2, tries.get());
    assertEquals(threads.get(0), ranOn.get(0), "on the slot's own thread");
  }

  @Test
  void sizeAndActiveMustBePositive() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Slots(0, 1, STUCK_AFTER, SlotsTest::frozen, factory));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Slots(1, 0, STUCK_AFTER, SlotsTest::frozen, factory));
  }

  /** Slots whose threads fail to start after the first {@code startable}. */
  private Slots slotsStarting(int startable, int size, int active, LongSupplier nanoTime) {
    ThreadFactory few =
        r -> {
          if (threads.size() >= startable) {
            throw new OutOfMemoryError("unable to create native thread (a test)");
          }
          return factory.newThread(r);
        };
    Slots slots = new Slots(size, active, STUCK_AFTER, nanoTime, few);
    made.add(slots);
    return slots;
  }

  private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (count.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(expected, count.get());
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A clock that never moves: no task ever counts as stuck. */
  private static long frozen() {
    return 0L;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
