package dev.taskqueue.sandbox;

import com.dylibso.chicory.wasm.MalformedException;

/**
 * How big a module is, section by section, read in one pass over its binary without building
 * anything: what Chicory's parser would make objects of (types, functions, locals, globals,
 * segments, ...) and what instantiating it would allocate (tables, memories). {@link ModuleLimits}
 * judges it before the parser sees the bytes, so a module that would need a lot of heap is refused
 * for the price of reading it.
 *
 * <p>It also refuses, as malformed, any vector whose length the bytes left could not hold: Chicory
 * sizes some lists and arrays by such lengths before reading their items.
 *
 * @param types function (and GC) types defined
 * @param typeValues parameters, results and fields over all those types
 * @param functions functions imported and defined
 * @param tableElements initial elements over all tables
 * @param elementEntries entries over all element segments
 * @param dataBytes bytes over all data segments
 * @param codeBytes size of the code section
 * @param largestFunctionBytes size of the largest function body
 * @param mostLocals locals declared by the function that declares the most
 * @param totalLocals locals declared over all functions
 */
record ModuleShape(
    long types,
    long typeValues,
    long imports,
    long functions,
    long tables,
    long tableElements,
    long memories,
    long globals,
    long exports,
    long tags,
    long elementSegments,
    long elementEntries,
    long dataSegments,
    long dataBytes,
    long codeBytes,
    long largestFunctionBytes,
    long mostLocals,
    long totalLocals) {
  private static final byte[] HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

  /**
   * Reads the shape of {@code bytes}.
   *
   * @throws MalformedException when they are not a WebAssembly binary this pass can walk
   */
  static ModuleShape of(byte[] bytes) {
    WasmReader in = new WasmReader(bytes);
    for (byte expected : HEADER) {
      if (in.atEnd() || in.u8() != (expected & 0xFF)) {
        throw new MalformedException("it does not start with the WebAssembly header (\\0asm 1)");
      }
    }
    Counts counts = new Counts();
    while (!in.atEnd()) {
      int id = in.u8();
      WasmReader section = in.slice(in.u32(), "section " + id);
      counts.section(id, section);
      if (!section.atEnd()) {
        throw new MalformedException(
            "section " + id + " has " + section.remaining() + " bytes left after its content");
      }
    }
    return counts.shape();
  }

  /** The running totals of one pass. */
  private static final class Counts {
    long types;
    long typeValues;
    long imports;
    long importedFunctions;
    long declaredFunctions;
    long bodies;
    long tables;
    long tableElements;
    long memories;
    long globals;
    long exports;
    long tags;
    long elementSegments;
    long elementEntries;
    long dataSegments;
    long dataBytes;
    long codeBytes;
    long largestFunctionBytes;
    long mostLocals;
    long totalLocals;

    ModuleShape shape() {
      return new ModuleShape(
          types,
          typeValues,
          imports,
          importedFunctions + Math.max(declaredFunctions, bodies),
          tables,
          tableElements,
          memories,
          globals,
          exports,
          tags,
          elementSegments,
          elementEntries,
          dataSegments,
          dataBytes,
          codeBytes,
          largestFunctionBytes,
          mostLocals,
          totalLocals);
    }

    void section(int id, WasmReader in) {
      switch (id) {
        case 0 -> in.skip(in.remaining()); // custom: the parser is told to skip these
        case 1 -> typeSection(in);
        case 2 -> importSection(in);
        case 3 -> {
          declaredFunctions = in.count("function section", 1);
          for (long i = 0; i < declaredFunctions; i++) {
            in.u32();
          }
        }
        case 4 -> tableSection(in);
        case 5 -> {
          long count = in.count("memory section", 2);
          for (long i = 0; i < count; i++) {
            memoryLimits(in);
          }
          memories += count;
        }
        case 6 -> globalSection(in);
        case 7 -> exportSection(in);
        case 8, 12 -> in.u32(); // start function; data count
        case 9 -> elementSection(in);
        case 10 -> codeSection(in);
        case 11 -> dataSection(in);
        case 13 -> {
          long count = in.count("tag section", 2);
          for (long i = 0; i < count; i++) {
            in.u8();
            in.u32();
          }
          tags += count;
        }
        default -> throw new MalformedException("unknown section id " + id);
      }
    }

    private void typeSection(WasmReader in) {
      long count = in.count("type section", 1);
      for (long i = 0; i < count; i++) {
        long form = in.u32();
        if (form == 0x4E) { // a recursion group
          long members = in.count("recursion group", 1);
          for (long m = 0; m < members; m++) {
            subType(in, in.u32());
          }
        } else {
          subType(in, form);
        }
      }
    }

    private void subType(WasmReader in, long form) {
      long composite = form;
      if (form == 0x50 || form == 0x4F) {
        long supertypes = in.count("supertype list", 1);
        for (long i = 0; i < supertypes; i++) {
          in.u32();
        }
        composite = in.u32();
      }
      types++;
      if (composite == 0x60) {
        for (int list = 0; list < 2; list++) { // parameters, then results
          long values = in.count("function type", 1);
          for (long i = 0; i < values; i++) {
            in.valueType();
          }
          typeValues += values;
        }
      } else if (composite == 0x5F) {
        long fields = in.count("struct type", 2);
        for (long i = 0; i < fields; i++) {
          fieldType(in);
        }
        typeValues += fields;
      } else if (composite == 0x5E) {
        fieldType(in);
        typeValues++;
      } else {
        throw new MalformedException("unknown type form 0x" + Long.toHexString(composite));
      }
    }

    private static void fieldType(WasmReader in) {
      long storage = in.u32();
      if (storage != 0x78 && storage != 0x77) { // i8 and i16 are packed, not value types
        in.valueType(storage);
      }
      in.u8(); // mutability
    }

    private void importSection(WasmReader in) {
      imports = in.count("import section", 4);
      for (long i = 0; i < imports; i++) {
        in.skip(in.u32()); // module name
        in.skip(in.u32()); // field name
        long kind = in.u32();
        if (kind == 0) {
          in.u32();
          importedFunctions++;
        } else if (kind == 1) {
          in.valueType();
          tableLimits(in, true);
        } else if (kind == 2) {
          memoryLimits(in);
          memories++;
        } else if (kind == 3) {
          in.valueType();
          in.u8();
          globals++;
        } else if (kind == 4) {
          in.u8();
          in.u32();
          tags++;
        } else {
          throw new MalformedException("malformed import kind " + kind);
        }
      }
    }

    private void tableSection(WasmReader in) {
      long count = in.count("table section", 3);
      for (long i = 0; i < count; i++) {
        long first = in.u32();
        if (first == 0x40) { // a table with an initializer expression
          in.u32();
          in.valueType();
          tableLimits(in, false);
          in.constantExpression();
        } else {
          in.valueType(first);
          tableLimits(in, false);
        }
      }
    }

    private void tableLimits(WasmReader in, boolean imported) {
      int flags = in.u8();
      if (!(flags == 0 || flags == 1 || (imported && flags == 3))) {
        throw new MalformedException("invalid table limits flags " + flags);
      }
      tables++;
      tableElements += in.u32();
      if (flags != 0) {
        in.u32();
      }
    }

    private static void memoryLimits(WasmReader in) {
      int flags = in.u8();
      if (!(flags == 0 || flags == 1 || flags == 3)) {
        throw new MalformedException("invalid memory limits flags " + flags);
      }
      in.u32();
      if (flags != 0) {
        in.u32();
      }
    }

    private void globalSection(WasmReader in) {
      long count = in.count("global section", 3);
      for (long i = 0; i < count; i++) {
        in.valueType();
        in.u8();
        in.constantExpression();
      }
      globals += count;
    }

    private void exportSection(WasmReader in) {
      exports = in.count("export section", 3);
      for (long i = 0; i < exports; i++) {
        in.skip(in.u32());
        in.u32();
        in.u32();
      }
    }

    private void elementSection(WasmReader in) {
      elementSegments = in.count("element section", 2);
      for (long i = 0; i < elementSegments; i++) {
        long flags = in.u32();
        if (flags > 7) {
          throw new MalformedException("invalid element segment flags " + flags);
        }
        boolean active = (flags & 1) == 0;
        boolean tableIndex = active && (flags & 2) != 0;
        boolean expressions = (flags & 4) != 0;
        boolean implicitType = active && !tableIndex;
        if (active) {
          if (tableIndex) {
            in.u32();
          }
          in.constantExpression();
        }
        if (!implicitType) {
          if (expressions) {
            in.valueType();
          } else {
            in.u32(); // element kind
          }
        }
        long entries = in.count("element segment", 1);
        for (long e = 0; e < entries; e++) {
          if (expressions) {
            in.constantExpression();
          } else {
            in.u32();
          }
        }
        elementEntries += entries;
      }
    }

    private void codeSection(WasmReader in) {
      codeBytes = in.remaining();
      bodies = in.count("code section", 2);
      for (long i = 0; i < bodies; i++) {
        WasmReader body = in.slice(in.u32(), "function body " + i);
        largestFunctionBytes = Math.max(largestFunctionBytes, body.remaining());
        long entries = body.count("locals of function body " + i, 2);
        long locals = 0;
        for (long e = 0; e < entries; e++) {
          locals += body.u32();
          body.valueType();
        }
        mostLocals = Math.max(mostLocals, locals);
        totalLocals += locals;
        body.skip(body.remaining()); // the instructions: their cost is bounded by the size
      }
    }

    private void dataSection(WasmReader in) {
      dataSegments = in.count("data section", 2);
      for (long i = 0; i < dataSegments; i++) {
        long mode = in.u32();
        if (mode == 2) {
          in.u32();
        }
        if (mode == 0 || mode == 2) {
          in.constantExpression();
        } else if (mode != 1) {
          throw new MalformedException("invalid data segment mode " + mode);
        }
        long length = in.u32();
        in.skip(length);
        dataBytes += length;
      }
    }
  }
}
