package com.dylibso.chicory.runtime;

import static com.dylibso.chicory.wasm.types.ExternalType.FUNCTION;

import com.dylibso.chicory.wasm.InvalidException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.Element;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.FunctionBody;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Global;
import com.dylibso.chicory.wasm.types.Table;
import com.dylibso.chicory.wasm.types.TagSection;
import com.dylibso.chicory.wasm.types.TagType;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every instance of one module starts from, worked out once. It is task-queue's, not
 * Chicory's: it sits in Chicory's package only to reach {@link Instance}'s package-private
 * constructor, the one {@link Instance.Builder#build} ends with (docs/architecture.md, "Decisions
 * worth knowing").
 *
 * <p>{@code build} works the same things out of the module again for every instance: a map of its
 * exports, copies of its sections, its functions' types, and its imports matched to the host's by
 * name, through streams. That was over a quarter of what running a no-op task cost a worker's slot,
 * and {@code build}, one large method, was what a fresh worker's JIT spent most on of Chicory's
 * code (docs/benchmarks-journal.md). Nothing kept here is an instance's state. What a guest can
 * change (globals, tables, memory, dropped data and element segments) the constructor makes anew or
 * copies for each instance, and {@link #instantiate} gives each its own array of data segments, the
 * one array the constructor keeps as given.
 *
 * <p>Of what {@code build} checks beyond Chicory's parser, it checks what a task module needs: that
 * export names are unique. The caller matches the module's imports to the host's (a task module's
 * are WASI functions, which {@code dev.taskqueue.sandbox.ModuleValidator} checks).
 */
public final class InstanceTemplate {
  private final WasmModule module;
  private final Global[] globals;
  private final DataSegment[] dataSegments;
  private final FunctionBody[] functions;
  private final FunctionType[] types;
  private final int[] functionTypes;
  private final Table[] tables;
  private final Element[] elements;
  private final TagType[] tags;
  private final Map<String, Export> exports;

  private InstanceTemplate(WasmModule module) {
    this.module = module;
    this.globals = module.globalSection().globals();
    this.dataSegments = module.dataSection().dataSegments();
    this.functions = module.codeSection().functionBodies();
    this.types = module.typeSection().types();
    int imported = module.importSection().count(FUNCTION);
    int defined = module.functionSection().functionCount();
    this.functionTypes = new int[imported + defined];
    int f = 0;
    for (int i = 0; i < module.importSection().importCount(); i++) {
      if (module.importSection().getImport(i) instanceof FunctionImport function) {
        functionTypes[f++] = function.typeIndex();
      }
    }
    for (int i = 0; i < defined; i++) {
      functionTypes[f++] = module.functionSection().getFunctionType(i);
    }
    this.tables = new Table[module.tableSection().tableCount()];
    for (int i = 0; i < tables.length; i++) {
      tables[i] = module.tableSection().getTable(i);
    }
    this.elements = module.elementSection().elements();
    this.tags = module.tagSection().map(TagSection::types).orElse(null);
    Map<String, Export> byName = new HashMap<>();
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      if (byName.put(export.name(), export) != null) {
        throw new InvalidException("duplicate export name " + export.name());
      }
    }
    this.exports = Map.copyOf(byName);
  }

  /**
   * The template of a module Chicory parsed.
   *
   * @throws InvalidException if two of its exports have one name, as {@code build} would
   */
  public static InstanceTemplate of(WasmModule module) {
    return new InstanceTemplate(module);
  }

  /**
   * A new instance, initialized (globals, element and data segments, the start section), its {@code
   * _start} not called: what {@code Instance.builder(module)} with these values and {@code
   * withStart(false)} builds.
   *
   * @param imports the host's values for the module's imports, in the module's order
   * @param memories one memory for each the module defines, new or wiped ({@code initialize} zeroes
   *     it before it writes the data segments)
   * @param machines what runs the instance's functions (a compiled module's, or an interpreter)
   * @param tableFactory makes each table the module defines, anew for this instance
   */
  public Instance instantiate(
      ImportValues imports,
      Memory[] memories,
      Function<Instance, Machine> machines,
      TableFactory tableFactory) {
    return new Instance(
        module,
        globals,
        memories,
        dataSegments.clone(),
        functions,
        types,
        functionTypes,
        imports,
        tables,
        elements,
        tags,
        exports,
        machines,
        tableFactory,
        null,
        true,
        false,
        null);
  }
}
