package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableFactory;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TableLimits;

/**
 * Makes the tables of one task instance, each with its own copy of the module's table limits, all
 * growing within one cap on their elements together: what {@code memoryLimits} is for memory.
 *
 * <p>Without it, {@code table.grow} may take every table to Chicory's 10 million elements, and
 * Chicory's {@link TableInstance#grow} raises the minimum of the limits it was made with, which are
 * the cached module's own: every later instance of the module would start with the tables an
 * earlier task grew.
 */
final class InstanceTables implements TableFactory {
  private long room;

  /** Tables that may grow by {@code room} elements in all. */
  InstanceTables(long room) {
    this.room = room;
  }

  /** The elements a module's tables start with (it may import none: only WASI functions). */
  static long initialElements(WasmModule module) {
    long elements = 0;
    for (int i = 0; i < module.tableSection().tableCount(); i++) {
      elements += module.tableSection().getTable(i).limits().min();
    }
    return elements;
  }

  @Override
  public TableInstance create(Table table, int initialValue) {
    TableLimits limits = table.limits();
    Table own =
        new Table(
            table.elementType(),
            new TableLimits(limits.min(), limits.max(), limits.shared()),
            table.initialize());
    return new TableInstance(own, initialValue) {
      @Override
      public int grow(int size, int value, Instance instance) {
        // One instance runs on one thread, so room needs no lock.
        if (size < 0 || size > room) {
          return -1;
        }
        int previous = super.grow(size, value, instance);
        if (previous >= 0) {
          room -= size;
        }
        return previous;
      }
    };
  }
}
