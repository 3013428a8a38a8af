package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One thread's WASI, lent to task after task until a guest changes its descriptors. */
class TaskWasiTest {
  private final TaskWasi wasi = new TaskWasi();

  @Test
  void everyTaskIsLentTheSameHostFunctions() {
    ImportValues first = lend(OutputStream.nullOutputStream());
    assertTrue(wasi.giveBack());

    assertSame(first, lend(OutputStream.nullOutputStream()), "built once, not per task");
  }

  @Test
  void aGuestWritesToTheStreamItWasLentAndNoOtherAfterwards() {
    ByteArrayOutputStream mine = new ByteArrayOutputStream();
    ByteArrayOutputStream next = new ByteArrayOutputStream();

    execute("exit-code", lend(mine));
    boolean pristine = wasi.giveBack();
    execute("exit-code", lend(next));

    assertTrue(pristine, "writing changes no descriptor");
    assertEquals("giving up\n", mine.toString(StandardCharsets.UTF_8));
    assertEquals("giving up\n", next.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aGuestThatClosesADescriptorSpoilsIt() {
    execute("close-stdout", lend(OutputStream.nullOutputStream()));

    assertFalse(wasi.giveBack());
  }

  private ImportValues lend(OutputStream stream) {
    // Both streams are the one given: exit-code writes to stderr, close-stdout to stdout.
    return wasi.lend(stream, stream, new Random(1), Map.of());
  }

  /** Runs {@code execute} of a test module with these imports; an exit ends it quietly. */
  private static void execute(String wat, ImportValues imports) {
    Instance instance =
        Instance.builder(Parser.parse(Guests.wat(wat))).withImportValues(imports).build();
    try {
      instance.export("execute").apply(0, 0);
    } catch (com.dylibso.chicory.wasi.WasiExitException e) {
      assertEquals(7, e.exitCode());
    }
  }
}
