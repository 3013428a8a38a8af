package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.sandbox.InvalidModuleException;
import dev.taskqueue.sandbox.WatAssembler;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rule that tells a module binary from WebAssembly text. */
class ModuleFormatTest {
  private static final String WAT = "(module (func (export \"f\")))";

  @Test
  void theBinaryMagicWinsWhateverTheFileIsCalled() {
    byte[] binary = WatAssembler.assemble(WAT, "f.wat");

    assertFalse(ModuleFormat.isText(binary, "f.wat"));
    assertSame(binary, ModuleFormat.toBinary(binary, "f.wat"));
  }

  @Test
  void aWatFileIsTextAndIsAssembled() {
    byte[] text = bytes(WAT);

    assertTrue(ModuleFormat.isText(text, "f.WAT"));
    assertArrayEquals(WatAssembler.assemble(WAT, "f.wat"), ModuleFormat.toBinary(text, "f.wat"));
  }

  @Test
  void textThatOpensAModuleIsTextUnderAnyName() {
    assertTrue(ModuleFormat.isText(bytes(WAT), "f.wasm"));
    assertTrue(ModuleFormat.isText(bytes(";; a comment\n\n  " + WAT), "f.wasm"));
    assertTrue(ModuleFormat.isText(bytes("\uFEFF" + WAT), "f"));
    assertArrayEquals(
        WatAssembler.assemble(WAT, "f.wat"), ModuleFormat.toBinary(bytes("\uFEFF" + WAT), "f"));
  }

  @Test
  void otherTextOrBinaryIsNeither() {
    assertFalse(ModuleFormat.isText(bytes("just some notes\n"), "notes.wasm"));
    assertFalse(ModuleFormat.isText(new byte[] {'(', 0, 1, 2}, "blob.wasm"));
    assertFalse(ModuleFormat.isText(new byte[0], "empty.wasm"));

    InvalidModuleException error =
        assertThrows(
            InvalidModuleException.class,
            () -> ModuleFormat.toBinary(bytes("just some notes\n"), "notes.wasm"));
    assertEquals(
        "notes.wasm is not a valid WebAssembly module: a binary starts with the bytes \\0asm"
            + " and text with '(module'; upload the .wasm file your compiler wrote (target"
            + " wasm32-wasi) or a .wat file (see docs/abi.md)",
        error.getMessage());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
