package dev.taskqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Typo#edits}: how many single edits apart two words are. */
class TypoTest {
  @Test
  void countsInsertionsDeletionsSubstitutionsAndSwaps() {
    assertEquals(0, Typo.edits("status", "status"));
    assertEquals(1, Typo.edits("lst", "list"), "an insertion");
    assertEquals(1, Typo.edits("queuee", "queue"), "a deletion");
    assertEquals(1, Typo.edits("stats", "stata"), "a substitution");
    assertEquals(1, Typo.edits("stauts", "status"), "two neighbours swapped");
    assertEquals(3, Typo.edits("remove", "resume"));
    assertEquals(6, Typo.edits("", "submit"));
  }
}
