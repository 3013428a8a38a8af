package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.error.ExitCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModuleValidatorTest {

  @Test
  void acceptsTheSampleTasksAndSaysWhatTheyUse() {
    for (String sample : List.of("greeter.wasm", "wordcount.wasm", "checksum.wasm")) {
      TaskModule module = ModuleValidator.validate(Guests.sample(sample), sample);
      assertEquals("_initialize", module.initializer(), sample);
      assertEquals(
          true,
          module.imports().contains("wasi_snapshot_preview1.fd_write"),
          module.imports().toString());
    }
    TaskModule wat = ModuleValidator.validate(Guests.sample("uppercase.wat"), "uppercase.wat");
    assertEquals(List.of(), wat.imports());
  }

  @Test
  void acceptsACommandStyleModuleWithStart() {
    TaskModule module = ModuleValidator.validate(Guests.wat("exit-start"), "exit-start.wasm");
    assertEquals("_start", module.initializer());
    assertEquals(1, module.initialPages());
    assertEquals(Optional.empty(), module.maximumPages());
  }

  @Test
  void rejectsBytesThatAreNotWebAssembly() {
    InvalidModuleException error =
        assertThrows(
            InvalidModuleException.class,
            () ->
                ModuleValidator.validate(
                    "just text".getBytes(StandardCharsets.UTF_8), "notes.wasm"));

    assertEquals(ExitCode.INVALID_INPUT, error.exitCode());
    assertEquals(
        true,
        error.getMessage().startsWith("notes.wasm is not a valid WebAssembly module: "),
        error.getMessage());
  }

  @Test
  void rejectsATruncatedModule() {
    byte[] whole = Guests.wat("echo");
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);

    InvalidModuleException error =
        assertThrows(
            InvalidModuleException.class, () -> ModuleValidator.validate(truncated, "cut.wasm"));

    assertEquals(true, error.getMessage().startsWith("cut.wasm is not a valid WebAssembly module"));
  }

  @Test
  void namesAMissingExecute() {
    assertProblem(
        "no-execute",
        "no-execute.wasm is not a task module: it does not export 'execute' (a function"
            + " (i32, i32) -> i64) (see docs/abi.md)");
  }

  @Test
  void namesAnImportFromOutsideWasi() {
    assertProblem(
        "foreign-import",
        "foreign-import.wasm is not a task module: it imports env.abort, outside"
            + " wasi_snapshot_preview1 (only WASI is given) (see docs/abi.md)");
  }

  @Test
  void namesAWasiFunctionThatDoesNotExist() {
    assertProblem(
        "unknown-wasi",
        "unknown-wasi.wasm is not a task module: it imports"
            + " wasi_snapshot_preview1.no_such_call, which WASI preview 1 does not have"
            + " (see docs/abi.md)");
  }

  @Test
  void namesAWrongSignature() {
    assertProblem(
        "wrong-alloc",
        "wrong-alloc.wasm is not a task module: 'alloc' is (i32, i32) -> i32 but must be"
            + " (i32) -> i32 (see docs/abi.md)");
  }

  @Test
  void listsEveryProblemAtOnce() {
    assertProblem(
        "no-memory",
        "no-memory.wasm is not a task module: it does not define and export its memory as"
            + " 'memory'; it exports neither '_initialize' nor '_start' (a function () -> ())"
            + " (see docs/abi.md)");
  }

  private static void assertProblem(String module, String message) {
    byte[] bytes = Guests.wat(module);
    InvalidModuleException error =
        assertThrows(
            InvalidModuleException.class, () -> ModuleValidator.validate(bytes, module + ".wasm"));
    assertEquals(message, error.getMessage());
  }
}
