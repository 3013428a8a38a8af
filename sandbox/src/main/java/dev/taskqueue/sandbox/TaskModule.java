package dev.taskqueue.sandbox;

import com.dylibso.chicory.wasm.WasmModule;
import java.util.List;
import java.util.Optional;

/**
 * A parsed module that passed {@link ModuleValidator}: it follows the task ABI and imports only
 * what WASI preview 1 gives.
 *
 * @param initializer the export called once per instance before {@code execute}: {@code
 *     _initialize} for reactors, {@code _start} otherwise
 * @param imports the WASI functions it uses, as {@code module.name}
 * @param initialPages linear memory pages the module starts with
 * @param maximumPages the module's own cap on memory pages, if it declares one
 */
public record TaskModule(
    WasmModule module,
    String initializer,
    List<String> imports,
    int initialPages,
    Optional<Integer> maximumPages) {

  /** How {@link #imports} names an import: {@code module.name}. */
  static String importName(String module, String name) {
    return module + "." + name;
  }
}
