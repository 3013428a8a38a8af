package dev.taskqueue.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tasks that run one after another on one thread share the module's compiled code, what its
 * instances start from, and the thread's WASI host functions, and nothing a guest can change:
 * memory, globals, tables, data and element segments, descriptors and streams are its own.
 */
class FreshInstanceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Sandbox sandbox = new Sandbox(new SandboxLimits(256, 1 << 20));

  @AfterEach
  void tearDown() {
    sandbox.close();
  }

  @Test
  void twoTasksInARowSeeFreshMemoryAndGlobals() {
    CompiledModule leftovers = Guests.compile(Guests.wat("leftovers"));

    for (int i = 0; i < 2; i++) {
      // "721" would be the first task's byte, grown memory and incremented global.
      assertEquals("010", run(leftovers, "", new ArrayList<>()), "task " + i);
    }
  }

  @Test
  void aMemoryLentAgainIsWipedFirst() {
    CompiledModule scribbler = Guests.compile(Guests.wat("scribbler"));

    for (int i = 0; i < 3; i++) {
      // "7" would be the byte the task before left behind in the memory this thread lends again.
      assertEquals("0", run(scribbler, "", new ArrayList<>()), "task " + i);
    }
  }

  @Test
  void aMemoryLentToAnotherModuleKeepsNoneOfTheFirstModulesData() {
    // Both memories are one page, never grown: the thread lends the first's to the second.
    CompiledModule marked =
        Guests.compile(module("(data (i32.const 65000) \"7\")", "(i64.const 0)"));
    CompiledModule reader =
        Guests.compile(
            module(
                "",
                "(i32.store8 (i32.const 0)"
                    + " (i32.add (i32.const 48) (i32.load8_u (i32.const 65000))))"
                    + " (i64.const 1)"));

    run(marked, "", new ArrayList<>());

    assertEquals("0", run(reader, "", new ArrayList<>()));
  }

  /** A one-page task module with {@code fields} beside its memory and {@code body} as execute's. */
  private static byte[] module(String fields, String body) {
    String text =
        "(module (memory (export \"memory\") 1 1) "
            + fields
            + " (func (export \"_initialize\"))"
            + " (func (export \"alloc\") (param i32) (result i32) (i32.const 1024))"
            + " (func (export \"execute\") (param i32 i32) (result i64) "
            + body
            + "))";
    return WatAssembler.assemble(text, "inline.wat");
  }

  @Test
  void segmentsOneTaskDroppedAreThereForTheNext() {
    CompiledModule dropper = Guests.compile(Guests.wat("dropper"));

    for (int i = 0; i < 3; i++) {
      // A task that saw the segments dropped would trap in memory.init or table.init.
      assertEquals("95", run(dropper, "", new ArrayList<>()), "task " + i);
    }
  }

  @Test
  void aGuestThatClosesStdoutDoesNotCloseItForTheNextTask() {
    CompiledModule closer = Guests.compile(Guests.wat("close-stdout"));
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    List<String> greeter = new ArrayList<>();

    assertEquals("closed", run(closer, "", first));
    // fd_close(1) again would fail, and the guest trap, if this task saw the first one's table.
    assertEquals("closed", run(closer, "", second));
    run(Guests.compile(Guests.sample("greeter.wasm")), "{\"name\":\"Ada\"}", greeter);

    assertEquals(List.of("closing"), first);
    assertEquals(List.of("closing"), second);
    assertEquals(List.of("Hello, Ada!"), greeter);
  }

  @Test
  void eachTaskWritesToItsOwnStreams() {
    CompiledModule greeter = Guests.compile(Guests.sample("greeter.wasm"));
    List<String> ada = new ArrayList<>();
    List<String> grace = new ArrayList<>();

    run(greeter, "{\"name\":\"Ada\"}", ada);
    run(greeter, "{\"name\":\"Grace\"}", grace);

    assertEquals(List.of("Hello, Ada!"), ada);
    assertEquals(List.of("Hello, Grace!"), grace);
  }

  private String run(CompiledModule module, String payload, List<String> out) {
    return Runs.text(Runs.run(sandbox, module, payload, TIMEOUT, out, new ArrayList<>()));
  }
}
