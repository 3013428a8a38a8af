package dev.taskqueue.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a claimer knows of its queues' fronts, and when it claims from them without reading. */
class QueueFrontsTest {
  private final QueueFronts fronts = new QueueFronts();

  @Test
  void aFrontServesAClaimOfAsManyOrOfAllThatWerePending() {
    assertFalse(fronts.of("q").serves(1), "nothing known");

    fronts.seen("q", List.of("a", "b"), false);
    assertTrue(fronts.of("q").serves(2));
    assertFalse(fronts.of("q").serves(3), "fewer than asked for, and more may be pending");
    assertTrue(fronts.anyWaiting());

    fronts.seen("q", List.of("a", "b"), true);
    assertTrue(fronts.of("q").serves(3), "all that was pending");
  }

  @Test
  void aDrainedQueueServesNoClaimAndWaitsForItsMarker() {
    fronts.drained("q");
    assertTrue(fronts.of("q").drained());
    assertFalse(fronts.of("q").serves(1));
    assertFalse(fronts.anyWaiting());

    fronts.forget("q");
    assertFalse(fronts.of("q").drained());
  }

  @Test
  void aMarkerNamesTheFrontUnlessAClaimToldMore() {
    fronts.drained("q");
    fronts.woken("q", Optional.of("t1"));
    assertEquals(List.of("t1"), fronts.of("q").ids());
    assertTrue(fronts.of("q").serves(10), "named by a marker: claimed without a read");

    fronts.seen("q", List.of("a", "b"), false);
    fronts.woken("q", Optional.of("t2"));
    assertEquals(List.of("a", "b"), fronts.of("q").ids(), "the claim's reply knew more");

    fronts.drained("q");
    fronts.woken("q", Optional.empty());
    assertFalse(fronts.of("q").drained(), "a marker that names nothing makes the front unknown");
  }
}
