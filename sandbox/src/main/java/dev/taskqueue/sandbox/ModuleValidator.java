package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.MalformedException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether bytes are a task module, before anything is stored and again before a worker
 * compiles them: their shape must be within {@link ModuleLimits} (checked before Chicory's parser
 * sees them), they must parse and validate as WebAssembly, export {@code memory}, {@code alloc:
 * (i32) -> i32}, {@code execute: (i32, i32) -> i64} and {@code _initialize} or {@code _start: () ->
 * ()}, and import only functions of {@code wasi_snapshot_preview1} that exist with the signatures
 * WASI gives them. Every problem found is reported at once, in one line.
 */
public final class ModuleValidator {
  public static final String WASI_MODULE = "wasi_snapshot_preview1";

  private static final FunctionType NO_ARGS = FunctionType.of(List.of(), List.of());
  private static final FunctionType ALLOC =
      FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));
  private static final FunctionType EXECUTE =
      FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I64));
  private static final Map<String, FunctionType> WASI_FUNCTIONS = wasiFunctions();
  private static final int MAX_LISTED = 4;

  private ModuleValidator() {}

  /**
   * Checks {@code bytes} and parses them; {@code source} (a file name) is how messages refer to
   * them.
   *
   * @throws InvalidModuleException naming every way the module breaks the task ABI, or every
   *     {@linkplain ModuleLimits#DEFAULTS module limit} it exceeds
   */
  public static TaskModule validate(byte[] bytes, String source) {
    checkShape(bytes, source, ModuleLimits.DEFAULTS);
    WasmModule module;
    try {
      module = parse(bytes);
    } catch (RuntimeException | StackOverflowError e) {
      // Whatever the parser throws on these bytes, the bytes are at fault.
      throw new InvalidModuleException(
          source + " is not a valid WebAssembly module: " + reason(e) + " (see docs/abi.md)", e);
    } catch (OutOfMemoryError e) {
      throw outOfMemory(source, "parsed", e);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Export> exports = exports(module, problems);
    checkMemory(module, exports, problems);
    checkFunction(module, exports, "alloc", ALLOC, problems);
    checkFunction(module, exports, "execute", EXECUTE, problems);
    String initializer = exports.containsKey("_initialize") ? "_initialize" : "_start";
    if (!exports.containsKey(initializer)) {
      problems.add("it exports neither '_initialize' nor '_start' (a function () -> ())");
    } else {
      checkFunction(module, exports, initializer, NO_ARGS, problems);
    }
    List<String> imports = checkImports(module, problems);
    if (!problems.isEmpty()) {
      throw new InvalidModuleException(
          source + " is not a task module: " + String.join("; ", problems) + " (see docs/abi.md)");
    }
    MemoryLimits memory = module.memorySection().orElseThrow().getMemory(0).limits();
    Optional<Integer> maximum =
        memory.maximumPages() >= MemoryLimits.MAX_PAGES
            ? Optional.empty()
            : Optional.of(memory.maximumPages());
    return new TaskModule(module, initializer, imports, memory.initialPages(), maximum);
  }

  /**
   * Parses with Chicory, leaving custom sections (debug names, DWARF, producers) unread: nothing
   * here uses them, and the name section alone can cost many times its size in heap.
   */
  static WasmModule parse(byte[] bytes) {
    Parser.Builder parser = Parser.builder();
    for (int id = SectionId.TYPE; id <= SectionId.TAG; id++) {
      parser.includeSectionId(id);
    }
    return parser.build().parse(() -> new ByteArrayInputStream(bytes));
  }

  /**
   * The one-line refusal for a module that ran the JVM out of heap while being {@code done}
   * ("parsed", "compiled"). Its objects are unreachable once this is thrown, so the heap is back.
   */
  static InvalidModuleException outOfMemory(String source, String done, OutOfMemoryError e) {
    return new InvalidModuleException(
        source
            + " could not be "
            + done
            + ": the JVM ran out of heap ("
            + reason(e)
            + "); it is within the module limits, so give the process more heap (-Xmx) or make"
            + " the module smaller",
        e);
  }

  private static void checkShape(byte[] bytes, String source, ModuleLimits limits) {
    ModuleShape shape;
    try {
      shape = ModuleShape.of(bytes);
    } catch (MalformedException e) {
      throw new InvalidModuleException(
          source + " is not a valid WebAssembly module: " + reason(e) + " (see docs/abi.md)", e);
    }
    List<String> exceeded = limits.exceeded(shape);
    if (!exceeded.isEmpty()) {
      throw new InvalidModuleException(
          source
              + " is too large for a worker: "
              + String.join("; ", exceeded)
              + " (see Limits in docs/abi.md)");
    }
  }

  /**
   * The module's exports by name; a name exported twice, which Chicory would not link, is named.
   */
  private static Map<String, Export> exports(WasmModule module, List<String> problems) {
    Map<String, Export> exports = new HashMap<>();
    for (int i = 0; i < module.exportSection().exportCount(); i++) {
      Export export = module.exportSection().getExport(i);
      if (exports.putIfAbsent(export.name(), export) != null) {
        problems.add("it exports '" + export.name() + "' twice (each export needs its own name)");
      }
    }
    return exports;
  }

  private static void checkMemory(
      WasmModule module, Map<String, Export> exports, List<String> problems) {
    Export memory = exports.get("memory");
    boolean defined =
        module.memorySection().isPresent() && module.memorySection().get().memoryCount() > 0;
    if (memory == null || memory.exportType() != ExternalType.MEMORY || !defined) {
      problems.add("it does not define and export its memory as 'memory'");
    }
  }

  private static void checkFunction(
      WasmModule module,
      Map<String, Export> exports,
      String name,
      FunctionType expected,
      List<String> problems) {
    Export export = exports.get(name);
    if (export == null || export.exportType() != ExternalType.FUNCTION) {
      problems.add("it does not export '" + name + "' (a function " + describe(expected) + ")");
      return;
    }
    FunctionType actual = functionType(module, export.index());
    if (!actual.typesMatch(expected)) {
      problems.add("'" + name + "' is " + describe(actual) + " but must be " + describe(expected));
    }
  }

  private static List<String> checkImports(WasmModule module, List<String> problems) {
    List<String> used = new ArrayList<>();
    List<String> foreign = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < module.importSection().importCount(); i++) {
      Import imported = module.importSection().getImport(i);
      String name = TaskModule.importName(imported.module(), imported.name());
      if (!imported.module().equals(WASI_MODULE)) {
        foreign.add(name);
      } else if (!(imported instanceof FunctionImport function)) {
        problems.add("it imports a " + kind(imported) + " " + name + "; WASI gives only functions");
      } else {
        FunctionType wanted = module.typeSection().getType(function.typeIndex());
        FunctionType given = WASI_FUNCTIONS.get(imported.name());
        if (given == null) {
          unknown.add(name);
        } else if (!given.typesMatch(wanted)) {
          problems.add(
              "it imports "
                  + name
                  + " as "
                  + describe(wanted)
                  + " but WASI gives "
                  + describe(given));
        } else {
          used.add(name);
        }
      }
    }
    if (!foreign.isEmpty()) {
      problems.add(
          "it imports " + list(foreign) + ", outside " + WASI_MODULE + " (only WASI is given)");
    }
    if (!unknown.isEmpty()) {
      problems.add("it imports " + list(unknown) + ", which WASI preview 1 does not have");
    }
    return List.copyOf(used);
  }

  private static FunctionType functionType(WasmModule module, int functionIndex) {
    List<FunctionImport> importedFunctions =
        module.importSection().stream()
            .filter(FunctionImport.class::isInstance)
            .map(FunctionImport.class::cast)
            .toList();
    int typeIndex =
        functionIndex < importedFunctions.size()
            ? importedFunctions.get(functionIndex).typeIndex()
            : module.functionSection().getFunctionType(functionIndex - importedFunctions.size());
    return module.typeSection().getType(typeIndex);
  }

  static String describe(FunctionType type) {
    return "("
        + type.params().stream().map(ModuleValidator::name).collect(Collectors.joining(", "))
        + ") -> "
        + (type.returns().isEmpty()
            ? "()"
            : type.returns().stream().map(ModuleValidator::name).collect(Collectors.joining(", ")));
  }

  private static String name(ValType type) {
    return type.toString().toLowerCase(Locale.ROOT);
  }

  private static String kind(Import imported) {
    return imported.importType().name().toLowerCase(Locale.ROOT);
  }

  private static String list(List<String> names) {
    if (names.size() <= MAX_LISTED) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX_LISTED))
        + " and "
        + (names.size() - MAX_LISTED)
        + " more";
  }

  private static String reason(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** The functions Chicory's WASI preview 1 implements, with their signatures. */
  private static Map<String, FunctionType> wasiFunctions() {
    Map<String, FunctionType> functions = new HashMap<>();
    try (WasiPreview1 wasi = WasiPreview1.builder().withLogger(SilentLogger.INSTANCE).build()) {
      for (HostFunction function : wasi.toHostFunctions()) {
        functions.put(
            function.name(), FunctionType.of(function.paramTypes(), function.returnTypes()));
      }
    }
    return Map.copyOf(functions);
  }
}
