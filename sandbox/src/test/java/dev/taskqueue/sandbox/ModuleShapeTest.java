package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dylibso.chicory.wabt.Wat2WasmModule;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-pass reader counts what Chicory's parser builds, on real and generated modules. */
class ModuleShapeTest {

  @Test
  void countsWhatChicorysParserBuilds() throws IOException {
    Map<String, byte[]> modules = new LinkedHashMap<>();
    modules.put("greeter.wasm", Guests.sample("greeter.wasm"));
    modules.put("wat2wasm", wat2wasm());
    modules.put(
        "generated",
        GeneratedModule.task()
            .withFunctions(50, 60)
            .withLocals(3, 70_000)
            .withGlobals(7)
            .withTypes(5, 4)
            .withElements(11)
            .withData(1000)
            .withFunctionNames(10)
            .build());
    for (Map.Entry<String, byte[]> module : modules.entrySet()) {
      assertAgrees(
          module.getKey(), ModuleShape.of(module.getValue()), Parser.parse(module.getValue()));
    }
  }

  private static void assertAgrees(String name, ModuleShape shape, WasmModule parsed) {
    long imported =
        parsed.importSection().stream().filter(FunctionImport.class::isInstance).count();
    long typeValues = 0;
    for (int i = 0; i < parsed.typeSection().typeCount(); i++) {
      typeValues +=
          parsed.typeSection().getType(i).params().size()
              + parsed.typeSection().getType(i).returns().size();
    }
    long mostLocals = 0;
    long totalLocals = 0;
    for (var body : parsed.codeSection().functionBodies()) {
      mostLocals = Math.max(mostLocals, body.localTypes().size());
      totalLocals += body.localTypes().size();
    }
    long entries = 0;
    for (var element : parsed.elementSection().elements()) {
      entries += element.elementCount();
    }
    long tableElements = 0;
    for (int i = 0; i < parsed.tableSection().tableCount(); i++) {
      tableElements += parsed.tableSection().getTable(i).limits().min();
    }
    assertEquals(parsed.typeSection().typeCount(), shape.types(), name + " types");
    assertEquals(typeValues, shape.typeValues(), name + " type values");
    assertEquals(parsed.importSection().importCount(), shape.imports(), name + " imports");
    assertEquals(
        imported + parsed.functionSection().functionCount(),
        shape.functions(),
        name + " functions");
    assertEquals(parsed.tableSection().tableCount(), shape.tables(), name + " tables");
    assertEquals(tableElements, shape.tableElements(), name + " table elements");
    assertEquals(
        parsed.memorySection().orElseThrow().memoryCount(), shape.memories(), name + " memories");
    assertEquals(parsed.globalSection().globalCount(), shape.globals(), name + " globals");
    assertEquals(parsed.exportSection().exportCount(), shape.exports(), name + " exports");
    assertEquals(
        parsed.elementSection().elementCount(), shape.elementSegments(), name + " elements");
    assertEquals(entries, shape.elementEntries(), name + " element entries");
    assertEquals(
        parsed.dataSection().dataSegments().length, shape.dataSegments(), name + " data segments");
    assertEquals(mostLocals, shape.mostLocals(), name + " most locals");
    assertEquals(totalLocals, shape.totalLocals(), name + " total locals");
  }

  private static byte[] wat2wasm() throws IOException {
    try (InputStream in = Wat2WasmModule.class.getResourceAsStream("/wat2wasm")) {
      return in.readAllBytes();
    }
  }
}
