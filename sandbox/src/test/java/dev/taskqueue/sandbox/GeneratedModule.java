package dev.taskqueue.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes binary task modules of a chosen shape, for sizes too large to keep as WAT: many small
 * functions, large functions, many locals, big data, many globals, tables and elements. Every
 * module it writes is a valid task module (memory, {@code _initialize}, {@code alloc}, {@code
 * execute}) that imports nothing; the bulk comes on top.
 */
final class GeneratedModule {
  private static final int I32 = 0x7F;
  private static final int FUNCREF = 0x70;

  /** Chicory refuses a single locals entry above 50,000; bigger counts are split. */
  private static final int LOCALS_PER_ENTRY = 50_000;

  private int smallFunctions;
  private int smallFunctionBytes;
  private int largeFunctions;
  private int largeFunctionBytes;
  private int nopFunctions;
  private int nopBytes;
  private int localsFunctions;
  private int localsPerFunction;
  private int dataBytes;
  private int globals;
  private int tables;
  private long tableMin;
  private long tableMax = -1;
  private int elements;
  private int functionNames;
  private int memories = 1;
  private boolean executeTwice;
  private int extraTypes;
  private int typeParameters;

  private GeneratedModule() {}

  static GeneratedModule task() {
    return new GeneratedModule();
  }

  /**
   * {@code count} functions of about {@code bytes} bytes (at least 35) each, like compiled code:
   * arithmetic, blocks, loads and a call to the function before.
   */
  GeneratedModule withFunctions(int count, int bytes) {
    this.smallFunctions = count;
    this.smallFunctionBytes = bytes;
    return this;
  }

  /** {@code count} functions of about {@code bytes} bytes each of straight-line arithmetic. */
  GeneratedModule withLargeFunctions(int count, int bytes) {
    this.largeFunctions = count;
    this.largeFunctionBytes = bytes;
    return this;
  }

  /**
   * {@code functions} functions of {@code bytes} one-byte {@code nop}s each: the most instructions
   * per byte of code, so the most parser objects per byte.
   */
  GeneratedModule withNopFunctions(int functions, int bytes) {
    this.nopFunctions = functions;
    this.nopBytes = bytes;
    return this;
  }

  /** {@code functions} tiny functions that each declare {@code locals} i32 locals. */
  GeneratedModule withLocals(int functions, int locals) {
    this.localsFunctions = functions;
    this.localsPerFunction = locals;
    return this;
  }

  /** One active data segment of {@code bytes} bytes at address 0 (memory grows to hold it). */
  GeneratedModule withData(int bytes) {
    this.dataBytes = bytes;
    return this;
  }

  /** {@code count} memories of one page (the first holds the data); the ABI wants exactly one. */
  GeneratedModule withMemories(int count) {
    this.memories = count;
    return this;
  }

  /** {@code execute} exported a second time, under the same name, as {@code _initialize}. */
  GeneratedModule withExecuteExportedTwice() {
    this.executeTwice = true;
    return this;
  }

  GeneratedModule withGlobals(int count) {
    this.globals = count;
    return this;
  }

  /** {@code count} funcref tables of {@code min} elements; {@code max} -1 declares no maximum. */
  GeneratedModule withTables(int count, long min, long max) {
    this.tables = count;
    this.tableMin = min;
    this.tableMax = max;
    return this;
  }

  /** One table of {@code count} elements, filled by one active element segment. */
  GeneratedModule withElements(int count) {
    this.elements = count;
    return this;
  }

  /** {@code count} more function types, each with {@code parameters} i32 parameters. */
  GeneratedModule withTypes(int count, int parameters) {
    this.extraTypes = count;
    this.typeParameters = parameters;
    return this;
  }

  /** A {@code name} custom section naming {@code count} functions. */
  GeneratedModule withFunctionNames(int count) {
    this.functionNames = count;
    return this;
  }

  byte[] build() {
    Out module = new Out();
    module.bytes(0, 'a', 's', 'm', 1, 0, 0, 0);
    int defined = 3 + smallFunctions + largeFunctions + nopFunctions + localsFunctions;

    // Types: 0 () -> (), 1 (i32) -> i32, 2 (i32, i32) -> i64.
    Out types = new Out().u(3 + extraTypes);
    types.bytes(0x60, 0, 0).bytes(0x60, 1, I32, 1, I32).bytes(0x60, 2, I32, I32, 1, 0x7E);
    for (int i = 0; i < extraTypes; i++) {
      types.bytes(0x60).u(typeParameters);
      for (int p = 0; p < typeParameters; p++) {
        types.bytes(I32);
      }
      types.u(0);
    }
    module.section(1, types);

    Out functions = new Out().u(defined).bytes(0, 1, 2);
    for (int i = 3; i < defined; i++) {
      functions.u(1);
    }
    module.section(3, functions);

    if (tables > 0 || elements > 0) {
      Out table = new Out().u(tables + (elements > 0 ? 1 : 0));
      for (int i = 0; i < tables; i++) {
        table.u(FUNCREF);
        if (tableMax < 0) {
          table.u(0).u(tableMin);
        } else {
          table.u(1).u(tableMin).u(tableMax);
        }
      }
      if (elements > 0) {
        table.u(FUNCREF).u(1).u(elements).u(elements);
      }
      module.section(4, table);
    }

    long pages = Math.max(1, (dataBytes + 65535L) / 65536 + 1);
    Out memory = new Out().u(memories).u(0).u(pages);
    for (int i = 1; i < memories; i++) {
      memory.u(0).u(1);
    }
    module.section(5, memory);

    if (globals > 0) {
      Out global = new Out().u(globals);
      for (int i = 0; i < globals; i++) {
        global.bytes(I32, 1, 0x41).s(i).bytes(0x0B);
      }
      module.section(6, global);
    }

    Out exports = new Out().u(executeTwice ? 5 : 4);
    exports.name("memory").bytes(2).u(0);
    exports.name("_initialize").bytes(0).u(0);
    exports.name("alloc").bytes(0).u(1);
    exports.name("execute").bytes(0).u(2);
    if (executeTwice) {
      exports.name("execute").bytes(0).u(0);
    }
    module.section(7, exports);

    if (elements > 0) {
      Out element = new Out().u(1).u(2).u(tables).bytes(0x41, 0, 0x0B).u(0).u(elements);
      for (int i = 0; i < elements; i++) {
        element.u(i % defined);
      }
      module.section(9, element);
    }

    Out code = new Out().u(defined);
    code.body(new Out().u(0).bytes(0x0B));
    code.body(new Out().u(0).bytes(0x41).s(1024).bytes(0x0B));
    code.body(new Out().u(0).bytes(0x42, 0, 0x0B));
    for (int i = 0; i < smallFunctions; i++) {
      // Each calls the one before it (the first calls alloc): a realistic call graph.
      code.body(small(i == 0 ? 1 : 2 + i, smallFunctionBytes));
    }
    for (int i = 0; i < largeFunctions; i++) {
      code.body(large(largeFunctionBytes));
    }
    for (int i = 0; i < nopFunctions; i++) {
      code.body(nops(nopBytes));
    }
    for (int i = 0; i < localsFunctions; i++) {
      code.body(manyLocals(localsPerFunction));
    }
    module.section(10, code);

    if (dataBytes > 0) {
      Out data = new Out().u(1).u(0).bytes(0x41, 0, 0x0B).u(dataBytes);
      for (int i = 0; i < dataBytes; i++) {
        data.bytes(i * 31 + 7);
      }
      module.section(11, data);
    }

    if (functionNames > 0) {
      Out names = new Out().u(functionNames);
      for (int i = 0; i < functionNames; i++) {
        names.u(i).name("function_" + i);
      }
      Out custom = new Out().name("name").u(1).u(names.size()).append(names);
      module.section(0, custom);
    }
    return module.toByteArray();
  }

  /** (i32) -> i32 with two extra locals, blocks, loads and a call to {@code callee}. */
  private static Out small(int callee, int bytes) {
    Out body = new Out().bytes(1, 2, I32).bytes(0x20, 0, 0x41, 3, 0x6C, 0x21, 1);
    do {
      body.bytes(0x02, 0x40, 0x20, 1, 0x41, 0xE4, 0x00, 0x4B, 0x0D, 0)
          .bytes(0x20, 1, 0x28, 2, 16, 0x21, 2, 0x0B);
    } while (body.size() + 9 < bytes);
    return body.bytes(0x20, 2, 0x20, 1, 0x6A, 0x10).u(callee).bytes(0x0B);
  }

  /** (i32) -> i32 repeating {@code x = x + 1}: 7 bytes per 4 instructions. */
  private static Out large(int bytes) {
    Out body = new Out().u(0);
    while (body.size() < bytes) {
      body.bytes(0x20, 0, 0x41, 1, 0x6A, 0x21, 0);
    }
    return body.bytes(0x20, 0, 0x0B);
  }

  private static Out nops(int bytes) {
    Out body = new Out().u(0);
    for (int i = 0; i < bytes; i++) {
      body.bytes(0x01);
    }
    return body.bytes(0x20, 0, 0x0B);
  }

  private static Out manyLocals(int locals) {
    int entries = (locals + LOCALS_PER_ENTRY - 1) / LOCALS_PER_ENTRY;
    Out body = new Out().u(entries);
    for (int left = locals; left > 0; left -= LOCALS_PER_ENTRY) {
      body.u(Math.min(left, LOCALS_PER_ENTRY)).bytes(I32);
    }
    return body.bytes(0x20, 0, 0x0B);
  }

  /** A growable byte buffer that writes the binary format's encodings. */
  static final class Out extends ByteArrayOutputStream {
    Out bytes(int... values) {
      for (int value : values) {
        write(value);
      }
      return this;
    }

    /** Unsigned LEB128. */
    Out u(long value) {
      long v = value;
      do {
        int b = (int) (v & 0x7F);
        v >>>= 7;
        write(v != 0 ? b | 0x80 : b);
      } while (v != 0);
      return this;
    }

    /** Signed LEB128. */
    Out s(long value) {
      long v = value;
      while (true) {
        int b = (int) (v & 0x7F);
        v >>= 7;
        boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
        write(done ? b : b | 0x80);
        if (done) {
          return this;
        }
      }
    }

    Out name(String name) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      u(utf8.length);
      write(utf8, 0, utf8.length);
      return this;
    }

    Out append(Out other) {
      write(other.buf, 0, other.size());
      return this;
    }

    Out section(int id, Out content) {
      return bytes(id).u(content.size()).append(content);
    }

    Out body(Out body) {
      return u(body.size()).append(body);
    }
  }
}
