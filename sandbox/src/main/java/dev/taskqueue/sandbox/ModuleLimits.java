package dev.taskqueue.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * How large a module's structure may be, so that parsing, compiling and instantiating it on a
 * worker takes a known amount of heap: Chicory needs 44 to 65 bytes of heap per byte of code, more
 * per declared item than the item's bytes, and an instance allocates its tables up front. Checked
 * on the {@link ModuleShape} before Chicory sees the bytes, at upload and again when a worker loads
 * the module. The defaults and the heap they bound were measured ({@code ModuleHeapCost}); see
 * "Limits" in docs/abi.md.
 *
 * @param maxCodeBytes size of the code section, the main cost of parsing and compiling
 * @param maxFunctionBytes size of one function body
 * @param maxFunctions functions, imported and defined
 * @param maxLocals locals one function declares
 * @param maxTotalLocals locals declared over all functions
 * @param maxTypes function types
 * @param maxTypeValues parameters and results over all function types
 * @param maxImports imports
 * @param maxExports exports
 * @param maxGlobals globals
 * @param maxTables tables
 * @param maxTableElements elements over all tables, at instantiation and as far as {@code
 *     table.grow} may take them (the sandbox caps growth at this too)
 * @param maxMemories memories: the task ABI has exactly one
 * @param maxElementSegments element segments
 * @param maxElementEntries entries over all element segments
 * @param maxDataSegments data segments (their bytes cost about their size)
 * @param maxTags exception tags
 */
public record ModuleLimits(
    long maxCodeBytes,
    long maxFunctionBytes,
    long maxFunctions,
    long maxLocals,
    long maxTotalLocals,
    long maxTypes,
    long maxTypeValues,
    long maxImports,
    long maxExports,
    long maxGlobals,
    long maxTables,
    long maxTableElements,
    long maxMemories,
    long maxElementSegments,
    long maxElementEntries,
    long maxDataSegments,
    long maxTags) {

  /** The limits every worker and the registry apply. */
  public static final ModuleLimits DEFAULTS =
      new ModuleLimits(
          4L << 20, // code bytes
          512L << 10, // bytes of one function
          50_000, // functions
          10_000, // locals of one function
          500_000, // locals in all
          5_000, // types
          50_000, // parameters and results of all types
          1_000, // imports
          10_000, // exports
          10_000, // globals
          16, // tables
          100_000, // table elements
          1, // memories
          1_000, // element segments
          100_000, // element entries
          10_000, // data segments
          1_000); // tags

  /** Every limit {@code shape} exceeds, each as "it has what, over the limit of N". */
  List<String> exceeded(ModuleShape shape) {
    List<String> over = new ArrayList<>();
    check(over, shape.codeBytes(), maxCodeBytes, "a code section of %,d bytes", "%,d bytes");
    check(
        over,
        shape.largestFunctionBytes(),
        maxFunctionBytes,
        "a function of %,d bytes",
        "%,d bytes per function");
    check(over, shape.functions(), maxFunctions, "%,d functions", "%,d");
    check(over, shape.mostLocals(), maxLocals, "a function with %,d locals", "%,d per function");
    check(over, shape.totalLocals(), maxTotalLocals, "%,d locals in all", "%,d");
    check(over, shape.types(), maxTypes, "%,d types", "%,d");
    check(
        over, shape.typeValues(), maxTypeValues, "%,d parameters and results in its types", "%,d");
    check(over, shape.imports(), maxImports, "%,d imports", "%,d");
    check(over, shape.exports(), maxExports, "%,d exports", "%,d");
    check(over, shape.globals(), maxGlobals, "%,d globals", "%,d");
    check(over, shape.tables(), maxTables, "%,d tables", "%,d");
    check(
        over, shape.tableElements(), maxTableElements, "%,d table elements", "%,d over all tables");
    check(over, shape.memories(), maxMemories, "%,d memories", "%,d");
    check(over, shape.elementSegments(), maxElementSegments, "%,d element segments", "%,d");
    check(over, shape.elementEntries(), maxElementEntries, "%,d element segment entries", "%,d");
    check(over, shape.dataSegments(), maxDataSegments, "%,d data segments", "%,d");
    check(over, shape.tags(), maxTags, "%,d exception tags", "%,d");
    return over;
  }

  private static void check(
      List<String> over, long value, long limit, String what, String limitFormat) {
    if (value > limit) {
      over.add(
          "it has "
              + String.format(java.util.Locale.ROOT, what, value)
              + ", over the limit of "
              + String.format(java.util.Locale.ROOT, limitFormat, limit));
    }
  }
}
