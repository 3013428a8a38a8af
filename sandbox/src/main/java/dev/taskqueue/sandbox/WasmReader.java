package dev.taskqueue.sandbox;

import com.dylibso.chicory.wasm.MalformedException;

/**
 * A cursor over part of a module binary that reads the format's encodings the way Chicory's parser
 * does, and never past its end: the tool {@link ModuleShape} walks sections with, allocating
 * nothing. Anything it cannot read as WebAssembly throws Chicory's {@link MalformedException}.
 */
final class WasmReader {
  private final byte[] bytes;
  private final int end;
  private int position;

  WasmReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  private WasmReader(byte[] bytes, int start, int end) {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
  }

  boolean atEnd() {
    return position >= end;
  }

  int remaining() {
    return end - position;
  }

  int u8() {
    if (position >= end) {
      throw new MalformedException("unexpected end at byte " + position);
    }
    return bytes[position++] & 0xFF;
  }

  /** An unsigned LEB128 of at most 5 bytes and 32 bits, as Chicory's {@code readVarUInt32}. */
  long u32() {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = u8();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value > 0xFFFF_FFFFL) {
          throw new MalformedException("integer too large at byte " + (position - 1));
        }
        return value;
      }
    }
    throw new MalformedException("integer representation too long at byte " + position);
  }

  /** Skips a signed LEB128 of at most {@code maxBytes} bytes. */
  void signed(int maxBytes) {
    for (int i = 0; i < maxBytes; i++) {
      if ((u8() & 0x80) == 0) {
        return;
      }
    }
    throw new MalformedException("integer representation too long at byte " + position);
  }

  void skip(long count) {
    if (count > remaining()) {
      throw new MalformedException(
          count + " bytes expected at byte " + position + " but only " + remaining() + " remain");
    }
    position += (int) count;
  }

  /** A reader over the next {@code length} bytes, which this one skips. */
  WasmReader slice(long length, String what) {
    if (length > remaining()) {
      throw new MalformedException(
          what + " of " + length + " bytes at byte " + position + " runs past its end");
    }
    WasmReader slice = new WasmReader(bytes, position, position + (int) length);
    position += (int) length;
    return slice;
  }

  /**
   * The length of a vector whose items take at least {@code minItemBytes} each: no more than the
   * bytes left can hold, so a parser that sizes a list by it allocates no more than the input.
   */
  long count(String what, int minItemBytes) {
    int at = position;
    long count = u32();
    if (count * minItemBytes > remaining()) {
      throw new MalformedException(
          what
              + " at byte "
              + at
              + " claims "
              + count
              + " items but only "
              + remaining()
              + " bytes remain");
    }
    return count;
  }

  /** A value type: number, vector, or reference (with a heap type for the typed forms). */
  void valueType() {
    valueType(u32());
  }

  /** The rest of a value type whose first code was already read. */
  void valueType(long code) {
    if (code == 0x63 || code == 0x64) {
      signed(5); // the heap type: an abstract type code, or a type index
    } else if (!(code >= 0x69 && code <= 0x7F)) {
      throw new MalformedException(
          "unknown value type 0x" + Long.toHexString(code) + " before byte " + position);
    }
  }

  /**
   * A constant expression up to its {@code end}: the instructions WebAssembly allows in one
   * (constants, {@code global.get}, {@code ref.null}, {@code ref.func}, extended-const arithmetic
   * and the GC allocations). Any other instruction makes the module invalid anyway.
   */
  void constantExpression() {
    while (true) {
      int at = position;
      int opcode = u8();
      switch (opcode) {
        case 0x0B -> {
          return;
        }
        case 0x41 -> signed(5); // i32.const
        case 0x42 -> signed(10); // i64.const
        case 0x43 -> skip(4); // f32.const
        case 0x44 -> skip(8); // f64.const
        case 0x23, 0xD2 -> u32(); // global.get, ref.func
        case 0xD0 -> signed(5); // ref.null heaptype
        case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E -> {} // i32/i64 add, sub, mul
        case 0xFD -> {
          if (u32() != 12) { // v128.const
            throw notConstant(at);
          }
          skip(16);
        }
        case 0xFB -> gcConstant(at);
        default -> throw notConstant(at);
      }
    }
  }

  private void gcConstant(int at) {
    long op = u32();
    if (op == 0 || op == 1 || op == 6 || op == 7) { // struct.new(_default), array.new(_default)
      u32();
    } else if (op == 8) { // array.new_fixed
      u32();
      u32();
    } else if (op < 0x1A || op > 0x1C) { // any.convert_extern, extern.convert_any, ref.i31
      throw notConstant(at);
    }
  }

  private static MalformedException notConstant(int at) {
    return new MalformedException("constant expression required at byte " + at);
  }
}
