package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.error.ExitCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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

  @Test
  void refusesTooManyFunctionsBeforeParsing() {
    assertTooLarge(
        GeneratedModule.task().withFunctions(50_000, 40).build(),
        "it has 50,003 functions, over the limit of 50,000");
  }

  @Test
  void refusesAFunctionWithTooManyLocals() {
    assertTooLarge(
        GeneratedModule.task().withLocals(1, 10_001).build(),
        "it has a function with 10,001 locals, over the limit of 10,000 per function");
  }

  @Test
  void refusesTooManyLocalsInAll() {
    assertTooLarge(
        GeneratedModule.task().withLocals(51, 10_000).build(),
        "it has 510,000 locals in all, over the limit of 500,000");
  }

  @Test
  void refusesTooMuchCodeAndTooLargeAFunction() {
    byte[] code = GeneratedModule.task().withLargeFunctions(9, 500_000).build();
    assertTooLarge(
        code,
        String.format(
            Locale.ROOT,
            "it has a code section of %,d bytes, over the limit of 4,194,304 bytes",
            ModuleShape.of(code).codeBytes()));
    byte[] function = GeneratedModule.task().withLargeFunctions(1, 600_000).build();
    assertTooLarge(
        function,
        String.format(
            Locale.ROOT,
            "it has a function of %,d bytes, over the limit of 524,288 bytes per function",
            ModuleShape.of(function).largestFunctionBytes()));
  }

  @Test
  void refusesHugeTablesThatWouldExhaustAWorkersHeap() {
    assertTooLarge(
        Guests.wat("many-tables"),
        "it has 60 tables, over the limit of 16; it has 540,000,000 table elements, over the limit"
            + " of 100,000 over all tables");
  }

  @Test
  void namesAnExportNameUsedTwice() {
    assertRefused(
        GeneratedModule.task().withExecuteExportedTwice().build(),
        "twice.wasm",
        "twice.wasm is not a task module: it exports 'execute' twice (each export needs its own"
            + " name) (see docs/abi.md)");
  }

  @Test
  void refusesASecondMemoryWhichTheWorkersCapWouldNotCover() {
    assertTooLarge(
        GeneratedModule.task().withMemories(2).build(), "it has 2 memories, over the limit of 1");
  }

  @Test
  void refusesTooManyGlobalsAndElements() {
    assertTooLarge(
        GeneratedModule.task().withGlobals(10_001).withElements(100_001).build(),
        "it has 10,001 globals, over the limit of 10,000; it has 100,001 table elements, over the"
            + " limit of 100,000 over all tables; it has 100,001 element segment entries, over the"
            + " limit of 100,000");
  }

  @Test
  void refusesALengthTheBytesCannotHoldBeforeChicoryAllocatesIt() {
    // One passive data segment claiming 2 GiB - 1 bytes: Chicory would allocate them first.
    byte[] bytes = {0, 'a', 's', 'm', 1, 0, 0, 0, 11, 7, 1, 1, (byte) 0xFF, (byte) 0xFF, -1, -1, 7};

    assertRefused(
        bytes,
        "claims.wasm",
        "claims.wasm is not a valid WebAssembly module: 2147483647 bytes expected at byte 17 but"
            + " only 0 remain (see docs/abi.md)");
  }

  @Test
  void acceptsAModuleAtTheLimits() {
    byte[] bytes =
        GeneratedModule.task()
            .withFunctions(100, 100)
            .withLocals(49, 10_000)
            .withGlobals(10_000)
            .withElements(99_000)
            .build();

    assertEquals("_initialize", ModuleValidator.validate(bytes, "full.wasm").initializer());
  }

  private static void assertTooLarge(byte[] bytes, String problems) {
    assertRefused(
        bytes,
        "big.wasm",
        "big.wasm is too large for a worker: " + problems + " (see Limits in docs/abi.md)");
  }

  private static void assertProblem(String module, String message) {
    assertRefused(Guests.wat(module), module + ".wasm", message);
  }

  /** Validating {@code bytes} from {@code source} is refused with exactly {@code message}. */
  private static void assertRefused(byte[] bytes, String source, String message) {
    InvalidModuleException error =
        assertThrows(InvalidModuleException.class, () -> ModuleValidator.validate(bytes, source));
    assertEquals(message, error.getMessage());
  }
}
