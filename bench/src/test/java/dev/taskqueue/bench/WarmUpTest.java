package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How many rounds of unmeasured work {@link WarmUp} runs, and what it says it took. */
class WarmUpTest {
  @Test
  void processesThatCompileNothingAreWarmAfterTheLeastRounds() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "30").start();
    try {
      AtomicInteger rounds = new AtomicInteger();
      double seconds =
          WarmUp.until(() -> List.of(sleep.pid()), 3, 10, () -> sleepAndCount(rounds, 20));

      assertEquals(3, rounds.get());
      assertTrue(seconds >= 0.06 && seconds < 5, "took " + seconds + " s");
    } finally {
      sleep.destroy();
    }
  }

  @Test
  void whereProcCannotTellTheLeastRoundsRun() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    AtomicInteger rounds = new AtomicInteger();

    WarmUp.until(() -> List.of(done.pid()), 2, 10, () -> sleepAndCount(rounds, 0));

    assertEquals(2, rounds.get());
  }

  @Test
  void theLeastRoundsRunEvenWhereTheMostIsFewer() throws Exception {
    AtomicInteger rounds = new AtomicInteger();

    WarmUp.until(WarmUp::thisJvm, 4, 1, () -> sleepAndCount(rounds, 0));

    assertEquals(4, rounds.get());
  }

  @Test
  void theShareGivenIsTheOneARoundIsJudgedBy() throws Exception {
    AtomicInteger rounds = new AtomicInteger();
    // However much this JVM compiles meanwhile, it is within a share without bound.
    WarmUp.until(WarmUp::thisJvm, 2, 10, Double.POSITIVE_INFINITY, () -> sleepAndCount(rounds, 20));

    assertEquals(2, rounds.get());
  }

  private static void sleepAndCount(AtomicInteger rounds, long millis) throws InterruptedException {
    rounds.incrementAndGet();
    Thread.sleep(millis);
  }
}
