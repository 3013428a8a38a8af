package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WatAssemblerTest {
  @Test
  void assemblesText() {
    byte[] wasm = WatAssembler.assemble("(module (func (export \"f\")))", "f.wat");

    assertArrayEquals(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, java.util.Arrays.copyOf(wasm, 8));
  }

  @Test
  void reportsWhereTheTextIsWrong() {
    InvalidModuleException error =
        assertThrows(
            InvalidModuleException.class,
            () ->
                WatAssembler.assemble("(module\n  (func (export \"f\") (i32.bogus)))", "bad.wat"));

    assertEquals(
        "bad.wat is not valid WebAssembly text: bad.wat:2:23: error: unexpected token"
            + " \"i32.bogus\", expected an instr.",
        error.getMessage());
  }
}
