package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import org.junit.jupiter.api.Test;

/** Which memories a thread lends again: the same shape, never grown, small. */
class LentMemoryTest {
  private final LentMemory memories = new LentMemory();

  @Test
  void aMemoryGivenBackUnchangedIsLentAgainForTheSameShape() {
    Memory first = memories.lend(new MemoryLimits(1, 16));
    memories.giveBack();

    assertSame(first, memories.lend(new MemoryLimits(1, 16)));
  }

  @Test
  void aMemoryThatGrewIsNotLentAgain() {
    Memory first = memories.lend(new MemoryLimits(1, 16));
    first.grow(1);
    memories.giveBack();

    assertNotSame(first, memories.lend(new MemoryLimits(1, 16)));
  }

  @Test
  void anotherShapeGetsANewMemory() {
    Memory first = memories.lend(new MemoryLimits(1, 16));
    memories.giveBack();

    assertNotSame(first, memories.lend(new MemoryLimits(1, 8)));
    memories.giveBack();
    assertNotSame(first, memories.lend(new MemoryLimits(2, 16)));
  }

  @Test
  void aLargeMemoryIsNotKept() {
    int pages = LentMemory.MOST_PAGES + 1;
    Memory first = memories.lend(new MemoryLimits(pages, pages));
    memories.giveBack();

    assertNotSame(first, memories.lend(new MemoryLimits(pages, pages)));
  }

  @Test
  void aMemoryStillLentIsNotLentTwice() {
    Memory first = memories.lend(new MemoryLimits(1, 16));

    assertNotSame(first, memories.lend(new MemoryLimits(1, 16)));
  }
}
