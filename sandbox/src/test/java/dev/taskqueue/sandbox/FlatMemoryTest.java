package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ByteBufferMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.taskqueue.sandbox.Outcome.Failed;
import dev.taskqueue.sandbox.Outcome.Failure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The flat memory behaves as Chicory's own: the same values, the same sizes and the same errors for
 * the same accesses, at the edges and past them, before and after growing.
 */
class FlatMemoryTest {
  private static final int PAGE = Memory.PAGE_SIZE;

  @Test
  void answersEveryAccessAsChicorysMemoryDoes() {
    MemoryLimits limits = new MemoryLimits(1, 4);
    Memory flat = new FlatMemory(limits);
    Memory chicory = new ByteBufferMemory(limits);
    Random random = new Random(20261201);

    for (int step = 0; step < 20_000; step++) {
      int size = chicory.pages() * PAGE;
      // Mostly near the end of the memory, where the bounds are, and now and then anywhere.
      int addr =
          random.nextInt(4) == 0
              ? random.nextInt(Integer.MAX_VALUE) - random.nextInt(3)
              : size - 12 + random.nextInt(24);
      long value = random.nextLong();
      int op = random.nextInt(12);
      String what = "step " + step + ": op " + op + " at " + addr + " of " + size;
      assertEquals(apply(chicory, op, addr, value), apply(flat, op, addr, value), what);
      assertEquals(chicory.pages(), flat.pages(), what);
    }
  }

  @Test
  void growingKeepsWhatWasWrittenAndStopsAtTheMaximum() {
    Memory memory = new FlatMemory(new MemoryLimits(1, 8));
    memory.writeI32(PAGE - 4, 11);

    for (int page = 1; page < 8; page++) {
      assertEquals(page, memory.grow(1));
      memory.writeI32((page + 1) * PAGE - 4, page);
    }

    assertEquals(-1, memory.grow(1), "past the maximum");
    assertEquals(8, memory.pages());
    assertEquals(11, memory.readInt(PAGE - 4));
    for (int page = 1; page < 8; page++) {
      assertEquals(page, memory.readInt((page + 1) * PAGE - 4));
    }
  }

  @Test
  void growingByZeroPagesAnswersTheSize() {
    Memory memory = new FlatMemory(new MemoryLimits(0, 2));

    assertEquals(0, memory.grow(0));
    assertThrows(WasmRuntimeException.class, () -> memory.read(0), "a memory of no pages");
    assertEquals(0, memory.grow(2));
    assertEquals(2, memory.pages());
  }

  @Test
  void zeroWipesTheWholeMemoryAndCopyMovesOverlappingBytes() {
    Memory memory = new FlatMemory(new MemoryLimits(1, 1));
    byte[] text = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
    memory.write(100, text);

    memory.copy(102, 100, 8);
    assertEquals("ababcdefgh", new String(memory.readBytes(100, 10), StandardCharsets.US_ASCII));

    memory.zero();
    assertArrayEquals(new byte[PAGE], memory.readBytes(0, PAGE));
  }

  /**
   * zero() clears only as far as anything was written: every kind of write, at the very end of a
   * grown memory, must move that far.
   */
  @Test
  void zeroWipesWhatEveryKindOfWriteTouchedUpToTheEnd() {
    Map<String, Consumer<Memory>> writes = new LinkedHashMap<>();
    int end = 2 * PAGE;
    writes.put("writeByte", m -> m.writeByte(end - 1, (byte) 1));
    writes.put("writeShort", m -> m.writeShort(end - 2, (short) 1));
    writes.put("writeI32", m -> m.writeI32(end - 4, 1));
    writes.put("writeLong", m -> m.writeLong(end - 8, 1L));
    writes.put("writeF32", m -> m.writeF32(end - 4, 1f));
    writes.put("writeF64", m -> m.writeF64(end - 8, 1d));
    writes.put("write", m -> m.write(end - 3, new byte[] {1, 2, 3}));
    writes.put("fill", m -> m.fill((byte) 1, end - 5, end));
    writes.put("copy", m -> copyToTheEnd(m, end));
    writes.put("atomicAddInt", m -> m.atomicAddInt(end - 4, 1));

    for (Map.Entry<String, Consumer<Memory>> write : writes.entrySet()) {
      Memory memory = new FlatMemory(new MemoryLimits(1, 2));
      memory.writeByte(10, (byte) 1);
      memory.zero();
      assertEquals(1, memory.grow(1));
      write.getValue().accept(memory);

      memory.zero();

      assertArrayEquals(new byte[end], memory.readBytes(0, end), write.getKey());
    }
  }

  private static void copyToTheEnd(Memory memory, int end) {
    memory.writeByte(0, (byte) 1);
    memory.copy(end - 1, 0, 1);
    memory.writeByte(0, (byte) 0);
  }

  @Test
  void aSharedMemoryIsLeftToChicory() {
    MemoryLimits shared = new MemoryLimits(1, 1, true);

    assertThrows(IllegalArgumentException.class, () -> new FlatMemory(shared));
    assertInstanceOf(ByteBufferMemory.class, new LentMemory().lend(shared));
  }

  @Test
  void aGuestGrowingPageByPageReadsBackEveryPageAndTrapsPastTheEnd() {
    try (Sandbox sandbox = new Sandbox(new SandboxLimits(64, 1 << 20))) {
      CompiledModule grower = Guests.compile(Guests.wat("grower"));
      Duration timeout = Duration.ofSeconds(20);

      Outcome grown = Runs.run(sandbox, grower, "", timeout, new ArrayList<>(), new ArrayList<>());
      Outcome.Succeeded succeeded = assertInstanceOf(Outcome.Succeeded.class, grown);
      ByteBuffer result = ByteBuffer.wrap(succeeded.result()).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(41, result.getInt(), "pages");
      assertEquals(820, result.getInt(), "the pages' marks, 1 to 40, added up");

      Failed past =
          Runs.failed(
              Runs.run(sandbox, grower, "x", timeout, new ArrayList<>(), new ArrayList<>()));
      assertEquals(Failure.TRAP, past.failure());
      assertTrue(past.message().contains("out of bounds memory access"), past.message());
    }
  }

  /** One access by number; its value, or that it was out of bounds, as text to compare. */
  private static String apply(Memory memory, int op, int addr, long value) {
    Function<Memory, Object> access =
        switch (op) {
          case 0 -> m -> m.read(addr);
          case 1 -> m -> m.readShort(addr);
          case 2 -> m -> m.readInt(addr);
          case 3 -> m -> m.readLong(addr);
          case 4 -> m -> m.readDouble(addr);
          case 5 -> m -> written(() -> m.writeByte(addr, (byte) value));
          case 6 -> m -> written(() -> m.writeShort(addr, (short) value));
          case 7 -> m -> written(() -> m.writeI32(addr, (int) value));
          case 8 -> m -> written(() -> m.writeLong(addr, value));
          case 9 -> m -> written(() -> m.writeF32(addr, Float.intBitsToFloat((int) value)));
          case 10 -> m -> m.grow((int) (value & 1));
          default -> m -> ByteBuffer.wrap(m.readBytes(addr, 9)).getLong();
        };
    try {
      return Objects.toString(access.apply(memory));
    } catch (WasmRuntimeException e) {
      // Chicory names the first byte out of bounds when an access straddles two of its pages, and
      // the access's own address otherwise; the flat memory always names the access's.
      assertTrue(e.getMessage().startsWith("out of bounds memory access"), e.getMessage());
      return "out of bounds";
    }
  }

  private static String written(Runnable write) {
    write.run();
    return "written";
  }
}
