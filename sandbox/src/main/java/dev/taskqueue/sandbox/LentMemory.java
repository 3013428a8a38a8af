package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * The linear memory one slot thread lends to its guests, one task at a time. A new instance gets
 * this thread's previous memory when that memory has the shape the module asks for and never grew;
 * otherwise a new one ({@link FlatMemory}; Chicory's own for a shared memory). Allocating a fresh
 * memory for every task (its pages zeroed by the JVM, then once more by Chicory) was the largest
 * part of a no-op task's CPU time.
 *
 * <p>What the next guest sees is still a pristine memory: Chicory zeroes every memory an instance
 * defines before it writes the module's data segments (instantiation as the WebAssembly spec
 * defines it), and FreshInstanceTest holds it to that. A memory that grew is never lent again (its
 * size would show), and only small ones are kept ({@link #MOST_PAGES}), so that an idle thread does
 * not hold on to much.
 */
final class LentMemory {
  /**
   * At most 256 KiB kept per thread: the no-op, WAT and small C modules start with 1 or 2 pages.
   */
  static final int MOST_PAGES = 4;

  private Memory kept;
  private Memory lent;

  /** The shape of the memory lent last: {@link #kept}'s, when there is one. */
  private MemoryLimits lentLimits;

  /** The memory for an instance whose module asks for {@code limits}. */
  Memory lend(MemoryLimits limits) {
    Memory memory = fits(limits) ? kept : create(limits);
    kept = null;
    lent = memory;
    lentLimits = limits;
    return memory;
  }

  /**
   * The instance that had the memory is done with it: keep it for the next one if it may be.
   *
   * @return whether the memory refused to grow past its cap while the instance had it
   */
  boolean giveBack() {
    boolean refused = lent instanceof FlatMemory flat && flat.takeRefusedGrow();
    if (lent != null
        && lent.pages() == lentLimits.initialPages()
        && lentLimits.initialPages() <= MOST_PAGES
        && !lentLimits.shared()) {
      kept = lent;
    }
    lent = null;
    return refused;
  }

  /** A shared memory (wait and notify across threads) is Chicory's; any other, a flat one. */
  private static Memory create(MemoryLimits limits) {
    return limits.shared() ? new ByteBufferMemory(limits) : new FlatMemory(limits);
  }

  private boolean fits(MemoryLimits limits) {
    return kept != null && lentLimits.equals(limits);
  }
}
