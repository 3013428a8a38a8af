package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One thread's WASI, lent to task after task until a guest changes its descriptors. */
class TaskWasiTest {
  private final TaskWasi wasi = new TaskWasi();

  @Test
  void everyTaskOfAModuleIsLentTheSameHostFunctions() {
    CompiledModule module = Guests.compile(Guests.wat("exit-code"));
    ImportValues first = lend(module, OutputStream.nullOutputStream());
    assertTrue(wasi.giveBack());

    assertSame(first, lend(module, OutputStream.nullOutputStream()), "built once, not per task");
  }

  @Test
  void aModuleIsLentTheFunctionsItImportsInItsOrder() {
    CompiledModule module = Guests.compile(Guests.sample("greeter.wasm"));

    ImportValues imports = lend(module, OutputStream.nullOutputStream());

    List<String> names = new ArrayList<>();
    for (ImportFunction function : imports.functions()) {
      names.add(function.module() + "." + function.name());
    }
    assertEquals(module.module().imports(), names);
    assertTrue(names.contains("wasi_snapshot_preview1.fd_write"), names.toString());
    CompiledModule echo = Guests.compile(Guests.wat("echo"));
    assertEquals(0, lend(echo, OutputStream.nullOutputStream()).functionCount(), "none for echo");
  }

  @Test
  void aGuestWritesToTheStreamItWasLentAndNoOtherAfterwards() {
    ByteArrayOutputStream mine = new ByteArrayOutputStream();
    ByteArrayOutputStream next = new ByteArrayOutputStream();
    CompiledModule module = Guests.compile(Guests.wat("exit-code"));

    execute(module, lend(module, mine));
    boolean pristine = wasi.giveBack();
    execute(module, lend(module, next));

    assertTrue(pristine, "writing changes no descriptor");
    assertEquals("giving up\n", mine.toString(StandardCharsets.UTF_8));
    assertEquals("giving up\n", next.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aGuestThatClosesADescriptorSpoilsIt() {
    CompiledModule module = Guests.compile(Guests.wat("close-stdout"));

    execute(module, lend(module, OutputStream.nullOutputStream()));

    assertFalse(wasi.giveBack());
  }

  private ImportValues lend(CompiledModule module, OutputStream stream) {
    // Both streams are the one given: exit-code writes to stderr, close-stdout to stdout.
    return wasi.lend(module, stream, stream, new Random(1), Map.of());
  }

  /** Runs {@code execute} of a test module with these imports; an exit ends it quietly. */
  private static void execute(CompiledModule module, ImportValues imports) {
    Instance instance =
        Instance.builder(module.module().module()).withImportValues(imports).build();
    try {
      instance.export("execute").apply(0, 0);
    } catch (com.dylibso.chicory.wasi.WasiExitException e) {
      assertEquals(7, e.exitCode());
    }
  }
}
