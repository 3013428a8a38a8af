package dev.taskqueue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * How a round trip's batch is filled ({@link Batches#fill}), as the recorder of outcomes fills it:
 * with what waits, up to {@link BatchRecorder#MAX_BATCH} outcomes, and no further once their texts
 * are large.
 */
class BatchesTest {
  private static final int THIRD = BatchRecorder.MAX_BATCH_CHARS / 3;

  @Test
  void smallOutcomesFillABatchToItsCount() {
    BlockingQueue<String> handed = queue(300, "ok");
    List<String> batch = new ArrayList<>();

    fill(batch, handed);

    assertEquals(BatchRecorder.MAX_BATCH, batch.size());
    assertEquals(300 - BatchRecorder.MAX_BATCH, handed.size());
  }

  @Test
  void aBatchEndsWithTheOutcomeThatBringsItsTextsToTheirMost() {
    BlockingQueue<String> handed = new LinkedBlockingQueue<>();
    for (int i = 0; i < 7; i++) {
      handed.add(i + "x".repeat(THIRD));
    }
    List<String> batch = new ArrayList<>();

    fill(batch, handed);

    assertEquals(List.of('0', '1', '2'), batch.stream().map(t -> t.charAt(0)).toList());
    assertEquals('3', handed.peek().charAt(0), "the rest wait, in order");
  }

  @Test
  void aLargeOutcomeGoesAloneAndABatchSentAgainTakesNothingMore() {
    BlockingQueue<String> handed = queue(3, "ok");
    List<String> alone = new ArrayList<>(List.of("x".repeat(BatchRecorder.MAX_BATCH_CHARS)));

    fill(alone, handed);

    assertEquals(1, alone.size());
    assertEquals(3, handed.size());
  }

  private static void fill(List<String> batch, BlockingQueue<String> handed) {
    Batches.fill(
        batch, handed, BatchRecorder.MAX_BATCH, BatchRecorder.MAX_BATCH_CHARS, String::length);
  }

  private static BlockingQueue<String> queue(int n, String text) {
    BlockingQueue<String> handed = new LinkedBlockingQueue<>();
    for (int i = 0; i < n; i++) {
      handed.add(text);
    }
    return handed;
  }
}
