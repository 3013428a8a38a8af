package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ConstantEvaluators;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A guest's (unshared) linear memory as one byte array, read and written through little-endian
 * array views. Chicory's own memories keep a table of 64 KiB pages, so every load and store of
 * compiled guest code looks its page up, checks the offset within it and goes through a {@code
 * ByteBuffer}; here it is one bounds check against the memory's size and one array access, which is
 * what a memory-bound guest (the checksum sample's SHA-256 keeps its message schedule in linear
 * memory) spends most of its time on.
 *
 * <p>{@link #zero} clears the array only as far as anything was ever written into it: every write
 * moves that mark ({@link #checkWrite}), and what lies past it is still the JVM's zeroes. A memory
 * lent again to the next task ({@link LentMemory}) is wiped before each instance, and a no-op task
 * writes a few bytes of its 64 KiB page: clearing all of it was two thirds of what a no-op task's
 * instance cost to construct (a profile of a worker's drain).
 *
 * <p>The array may be longer than the memory ({@link #grow} doubles it, so that a guest growing a
 * page at a time is not copied each time); {@link #size} is the memory's size, and every access
 * checks against it, never against the array. Errors are Chicory's: an access out of bounds is a
 * {@link WasmRuntimeException} with Chicory's "out of bounds memory access" message, a data segment
 * that does not fit is an {@link UninstantiableException}.
 *
 * <p>Shared memories (the threads proposal, with wait and notify) stay Chicory's {@code
 * ByteBufferMemory}: {@link LentMemory} never makes one of these for them.
 */
final class FlatMemory implements Memory {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final MemoryLimits limits;
  private byte[] bytes;
  private int size;

  /** Every byte at or past this index is zero: where {@link #zero} may stop. */
  private int written;

  /** A grow past the cap was refused: the guest hit its memory limit (counted in LimitHits). */
  private boolean refusedGrow;

  private DataSegment[] dataSegments;

  FlatMemory(MemoryLimits limits) {
    if (limits.shared()) {
      throw new IllegalArgumentException("a shared memory needs Chicory's ByteBufferMemory");
    }
    this.limits = limits;
    this.size = Memory.bytes(limits.initialPages());
    this.bytes = new byte[size];
  }

  /** Whether a grow past the cap was refused since the last call; clears it. */
  boolean takeRefusedGrow() {
    boolean refused = refusedGrow;
    refusedGrow = false;
    return refused;
  }

  @Override
  public int pages() {
    return size / PAGE_SIZE;
  }

  @Override
  public int grow(int delta) {
    int before = pages();
    long after = (long) before + delta;
    if (delta < 0) {
      return -1;
    }
    if (after > maximumPages()) {
      refusedGrow = true;
      return -1;
    }
    int newSize = Memory.bytes((int) after);
    if (newSize > bytes.length) {
      long doubled = Math.max(newSize, 2L * bytes.length);
      int capacity = (int) Math.min(doubled, Memory.bytes(maximumPages()));
      bytes = Arrays.copyOf(bytes, capacity);
    }
    size = newSize;
    return before;
  }

  @Override
  public int initialPages() {
    return limits.initialPages();
  }

  @Override
  public int maximumPages() {
    return Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  @SuppressWarnings("removal") // abstract in Memory, to be replaced by its atomic* methods
  public Object lock(int address) {
    return new Object(); // unshared: nothing to lock against, as in Chicory's memories
  }

  @Override
  @SuppressWarnings("removal") // abstract in Memory, to be replaced by its atomic* methods
  public int waitOn(int address, int expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  @SuppressWarnings("removal") // abstract in Memory, to be replaced by its atomic* methods
  public int waitOn(int address, long expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  @SuppressWarnings("removal") // abstract in Memory, to be replaced by its atomic* methods
  public int notify(int address, int maxThreads) {
    return 0;
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    initialize(instance, segments, 0);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
    this.dataSegments = segments;
    if (segments == null) {
      return;
    }
    for (DataSegment segment : segments) {
      if (segment instanceof ActiveDataSegment active) {
        if (active.index() != memoryIndex) {
          continue;
        }
        int at =
            (int) ConstantEvaluators.computeConstantValue(instance, active.offsetInstructions())[0];
        byte[] data = active.data();
        if (!fits(at, data.length, size)) {
          throw new UninstantiableException(outOfBounds(at, data.length));
        }
        System.arraycopy(data, 0, bytes, at, data.length);
        wrote(at, data.length);
      } else if (!(segment instanceof PassiveDataSegment)) {
        throw new ChicoryException("Data segment should be active or passive: " + segment);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int length) {
    write(dest, dataSegments[segmentId].data(), offset, length);
  }

  @Override
  public void drop(int segment) {
    dataSegments[segment] = PassiveDataSegment.EMPTY;
  }

  @Override
  public void write(int addr, byte[] data, int offset, int length) {
    if (!fits(offset, length, data.length)) {
      throw new WasmRuntimeException(outOfBounds(offset, length));
    }
    checkWrite(addr, length);
    System.arraycopy(data, offset, bytes, addr, length);
  }

  @Override
  public byte[] readBytes(int addr, int length) {
    check(addr, length);
    return Arrays.copyOfRange(bytes, addr, addr + length);
  }

  @Override
  public void zero() {
    Arrays.fill(bytes, 0, written, (byte) 0);
    written = 0;
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    checkWrite(fromIndex, toIndex - fromIndex);
    Arrays.fill(bytes, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int length) {
    checkWrite(dest, length);
    check(src, length);
    System.arraycopy(bytes, src, bytes, dest, length); // overlapping ranges are copied as memmove
  }

  @Override
  public byte read(int addr) {
    check(addr, 1);
    return bytes[addr];
  }

  @Override
  public void writeByte(int addr, byte data) {
    checkWrite(addr, 1);
    bytes[addr] = data;
  }

  @Override
  public short readShort(int addr) {
    check(addr, 2);
    return (short) SHORT.get(bytes, addr);
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public void writeShort(int addr, short data) {
    checkWrite(addr, 2);
    SHORT.set(bytes, addr, data);
  }

  @Override
  public int readInt(int addr) {
    check(addr, 4);
    return (int) INT.get(bytes, addr);
  }

  @Override
  public void writeI32(int addr, int data) {
    checkWrite(addr, 4);
    INT.set(bytes, addr, data);
  }

  @Override
  public long readLong(int addr) {
    check(addr, 8);
    return (long) LONG.get(bytes, addr);
  }

  @Override
  public void writeLong(int addr, long data) {
    checkWrite(addr, 8);
    LONG.set(bytes, addr, data);
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public float readFloat(int addr) {
    return Float.intBitsToFloat(readInt(addr));
  }

  @Override
  public void writeF32(int addr, float data) {
    writeI32(addr, Float.floatToRawIntBits(data));
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public double readDouble(int addr) {
    return Double.longBitsToDouble(readLong(addr));
  }

  @Override
  public void writeF64(int addr, double data) {
    writeLong(addr, Double.doubleToRawLongBits(data));
  }

  /** The one bounds check every access makes: against the memory's size, not the array's. */
  private void check(int addr, int length) {
    if (!fits(addr, length, size)) {
      throw new WasmRuntimeException(outOfBounds(addr, length));
    }
  }

  /** {@link #check}, for a write: it moves {@link #written} past the bytes written. */
  private void checkWrite(int addr, int length) {
    check(addr, length);
    wrote(addr, length);
  }

  private void wrote(int addr, int length) {
    int end = addr + length;
    if (end > written) {
      written = end;
    }
  }

  private static boolean fits(int addr, int length, int limit) {
    return addr >= 0 && length >= 0 && addr <= limit - length;
  }

  private String outOfBounds(int addr, int length) {
    return "out of bounds memory access: attempted to access address: "
        + addr
        + " but limit is: "
        + size
        + " and size: "
        + length;
  }
}
