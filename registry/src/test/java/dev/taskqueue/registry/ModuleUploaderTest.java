package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.Config;
import dev.taskqueue.config.Settings;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.module.ModuleDigest;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.RedisSession;
import dev.taskqueue.sandbox.WatAssembler;
import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.MutableClock;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ModuleUploader}: what an upload stores, and that a rejected one stores nothing. */
@ExtendWith(RedisExtension.class)
class ModuleUploaderTest {
  private final MutableClock clock = MutableClock.atFixedStart();
  @TempDir Path dir;
  private RedisSession session;
  private Keys keys;
  private String prefix;
  private String redisUrl;
  private ModuleStore store;
  private TestUploader uploader;

  @BeforeEach
  void setUp(TestRedis redis) {
    session = TestSessions.open(redis);
    keys = session.keys();
    prefix = redis.prefix();
    redisUrl = redis.url();
    store = new ModuleStore(session.redis(), keys);
    uploader = new TestUploader(session, clock, Config.defaults());
  }

  @ParameterizedTest
  @ValueSource(strings = {"greeter.wasm", "wordcount.wasm", "checksum.wasm"})
  void storesEachBuiltSampleUnderItsDigest(String file) {
    byte[] bytes = Modules.sample(file);
    String digest = ModuleDigest.of(bytes);

    ModuleUploader.Uploaded uploaded = uploader.upload("task", Modules.sampleFile(dir, file));

    assertTrue(uploaded.created());
    assertEquals(
        new ModuleVersion("task", 1, digest, bytes.length, clock.instant(), file),
        uploaded.version());
    assertStored("task", 1, digest, bytes, file);
    assertEquals("_initialize", uploaded.module().taskModule().initializer());
    assertTrue(
        uploaded.module().taskModule().imports().contains("wasi_snapshot_preview1.fd_write"));
    assertFalse(uploaded.module().assembled());
  }

  @Test
  void assemblesTheWatSampleAndStoresTheBinary() {
    String text = new String(Modules.sample("uppercase.wat"), StandardCharsets.UTF_8);
    byte[] binary = WatAssembler.assemble(text, "uppercase.wat");

    ModuleUploader.Uploaded uploaded =
        uploader.upload("uppercase", Modules.sampleFile(dir, "uppercase.wat"));

    assertTrue(uploaded.module().assembled());
    assertEquals(ModuleDigest.of(binary), uploaded.version().digest());
    assertEquals(binary.length, uploaded.module().size());
    assertEquals(List.of(), uploaded.module().taskModule().imports());
    assertEquals(1, uploaded.module().taskModule().initialPages());
    assertStored("uppercase", 1, ModuleDigest.of(binary), binary, "uppercase.wat");
  }

  @Test
  void theSameBytesAgainAreUnchangedWhateverTheirSource() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    Map<String, Object> before = state();
    clock.advance(Duration.ofMinutes(1));

    ModuleUploader.Uploaded again =
        uploader.upload("greeter", Modules.sample("greeter.wasm"), "copy.wasm");

    assertFalse(again.created());
    assertEquals(1, again.version().version());
    assertEquals("greeter.wasm", again.version().source());
    assertEquals(before, state());
  }

  @Test
  void newBytesMakeTheNextVersion() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    clock.advance(Duration.ofSeconds(1));

    ModuleUploader.Uploaded v2 =
        uploader.upload("greeter", Modules.sampleFile(dir, "wordcount.wasm"));

    assertTrue(v2.created());
    assertEquals(2, v2.version().version());
    assertEquals(ModuleDigest.of(Modules.sample("wordcount.wasm")), v2.version().digest());
    assertEquals(
        List.of(1, 2), store.versions("greeter").stream().map(ModuleVersion::version).toList());
    assertTrue(v2.earlier().isEmpty());
  }

  @Test
  void anEarlierVersionsBytesAgainMakeANewVersionThatNamesIt() {
    uploader.upload("greeter", Modules.sampleFile(dir, "greeter.wasm"));
    uploader.upload("greeter", Modules.sampleFile(dir, "wordcount.wasm"));
    uploader.upload("greeter", Modules.sampleFile(dir, "checksum.wasm"));

    ModuleUploader.Uploaded back =
        uploader.upload("greeter", Modules.sample("greeter.wasm"), "rollback.wasm");
    ModuleUploader.Uploaded again =
        uploader.upload("greeter", Modules.sample("wordcount.wasm"), "wordcount.wasm");

    assertTrue(back.created());
    assertEquals(4, back.version().version());
    assertEquals(1, back.earlier().orElseThrow().version());
    assertEquals("greeter.wasm", back.earlier().orElseThrow().source());
    assertEquals(5, again.version().version());
    assertEquals(2, again.earlier().orElseThrow().version());
  }

  @Test
  void refusesRandomBytes() {
    byte[] noise = new byte[256];
    new Random(7).nextBytes(noise);
    noise[0] = 1; // neither the magic nor '('

    assertRefused(
        () -> uploader.upload("greeter", noise, "noise.wasm"),
        "noise.wasm is not a valid WebAssembly module: a binary starts with the bytes \\0asm"
            + " and text with '(module'; upload the .wasm file your compiler wrote (target"
            + " wasm32-wasi) or a .wat file (see docs/abi.md)");
  }

  @Test
  void refusesATextFileNamedWasm() {
    Path notes =
        Modules.write(
            dir.resolve("notes.wasm"), "remember the milk\n".getBytes(StandardCharsets.UTF_8));

    InvalidInputException error = assertRefused(() -> uploader.upload("greeter", notes), null);

    assertTrue(error.getMessage().startsWith("notes.wasm is not a valid WebAssembly module: "));
  }

  @Test
  void refusesATruncatedBinary() {
    byte[] whole = Modules.sample("greeter.wasm");
    byte[] cut = Arrays.copyOf(whole, whole.length / 2);

    InvalidInputException error =
        assertRefused(() -> uploader.upload("greeter", cut, "cut.wasm"), null);

    assertTrue(
        error.getMessage().startsWith("cut.wasm is not a valid WebAssembly module: "),
        error.getMessage());
  }

  @Test
  void refusesAModuleWithoutExecute() {
    Path file = Modules.testFile(dir, "no-execute.wat");

    assertRefused(
        () -> uploader.upload("greeter", file),
        "no-execute.wat is not a task module: it does not export 'execute' (a function"
            + " (i32, i32) -> i64) (see docs/abi.md)");
  }

  @Test
  void refusesAModuleImportingFromOutsideWasi() {
    Path file = Modules.testFile(dir, "foreign-import.wat");

    assertRefused(
        () -> uploader.upload("greeter", file),
        "foreign-import.wat is not a task module: it imports env.abort, outside"
            + " wasi_snapshot_preview1 (only WASI is given) (see docs/abi.md)");
  }

  @Test
  void refusesMalformedTextSayingWhere() {
    Path file = Modules.testFile(dir, "malformed.wat");

    assertRefused(
        () -> uploader.upload("greeter", file),
        "malformed.wat is not valid WebAssembly text: malformed.wat:2:23: error: unexpected"
            + " token \"i32.bogus\", expected an instr.");
  }

  @Test
  void refusesHugeTablesBeforeChicoryAllocatesThem() {
    Path file = Modules.testFile(dir, "many-tables.wat");

    assertRefused(
        () -> uploader.upload("greeter", file),
        "many-tables.wat is too large for a worker: it has 60 tables, over the limit of 16; it has"
            + " 540,000,000 table elements, over the limit of 100,000 over all tables (see Limits"
            + " in docs/abi.md)");
  }

  @Test
  void refusesTooManyFunctionsOrLocalsBeforeParsing() {
    String functions = task("", "(func)".repeat(50_001));
    String locals = task("(local" + " i32".repeat(10_001) + ")", "");

    assertRefused(
        () -> uploader.upload("greeter", utf8(functions), "functions.wat"),
        "functions.wat is too large for a worker: it has 50,004 functions, over the limit of"
            + " 50,000 (see Limits in docs/abi.md)");
    assertRefused(
        () -> uploader.upload("greeter", utf8(locals), "locals.wat"),
        "locals.wat is too large for a worker: it has a function with 10,001 locals, over the"
            + " limit of 10,000 per function (see Limits in docs/abi.md)");
  }

  @Test
  void runningOutOfHeapIsOneLineAndWritesNothing() {
    TestUploader starved =
        new TestUploader(
            session,
            clock,
            new ModuleChecker(
                Config.defaults(),
                (digest, module) -> {
                  throw new OutOfMemoryError("Java heap space");
                }));
    Path file = Modules.sampleFile(dir, "greeter.wasm");

    assertRefused(
        () -> starved.upload("greeter", file),
        "greeter.wasm could not be checked: this process ran out of heap (Java heap space); run"
            + " the registry with more heap (TASK_QUEUE_REGISTRY_JAVA_OPTS=-Xmx...) or make the"
            + " module smaller");
  }

  @Test
  void refusesAModuleOverTheSizeLimit() {
    Config small =
        Config.builder()
            .withoutEnvFile()
            .withEnvironment(Map.of())
            .withOverride(Settings.MAX_MODULE_BYTES, "1KiB", "the test")
            .build();
    TestUploader strict = new TestUploader(session, clock, small);
    Path file = Modules.sampleFile(dir, "greeter.wasm");

    assertRefused(
        () -> strict.upload("greeter", file),
        "greeter.wasm is "
            + Modules.size("greeter.wasm")
            + " bytes, over the limit of 1024 bytes (TASK_QUEUE_MAX_MODULE_BYTES,"
            + " from the test): make the module smaller or raise the setting");
    assertRefused(
        () -> strict.upload("greeter", Modules.sample("greeter.wasm"), "greeter.wasm"),
        "greeter.wasm is "
            + Modules.size("greeter.wasm")
            + " bytes, over the limit of 1024 bytes (TASK_QUEUE_MAX_MODULE_BYTES,"
            + " from the test): make the module smaller or raise the setting");
  }

  @Test
  void refusesAMissingFileOrAFolder() {
    Path missing = dir.resolve("greeter.wasm");

    assertRefused(
        () -> uploader.upload("greeter", missing),
        "module file '" + missing + "' does not exist: check the path");
    assertRefused(
        () -> uploader.upload("greeter", dir),
        "module file '" + dir + "' is not a regular file: give a .wasm or .wat file");
  }

  @Test
  void refusesABadName() {
    Path file = Modules.sampleFile(dir, "greeter.wasm");

    assertRefused(
        () -> uploader.upload("greet er", file),
        "task name 'greet er' is invalid: use 1-64 letters, digits, '_', '.' or '-', starting"
            + " with a letter or digit");
    assertRefused(() -> uploader.upload("a:b", file), null);
  }

  /** A task module in WAT whose {@code execute} starts with {@code locals}, plus {@code more}. */
  private static String task(String locals, String more) {
    return "(module (memory (export \"memory\") 1) (func (export \"_initialize\"))"
        + " (func (export \"alloc\") (param i32) (result i32) (i32.const 0))"
        + " (func (export \"execute\") (param i32 i32) (result i64) "
        + locals
        + " (i64.const 0)) "
        + more
        + ")";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Runs a rejected upload against a store that already holds greeter v1 and asserts that it is
   * invalid input ({@code message}, unless null) and that no key changed.
   */
  private InvalidInputException assertRefused(Executable upload, String message) {
    if (store.latest("greeter").isEmpty()) {
      uploader.upload("greeter", Modules.sample("greeter.wasm"), "greeter.wasm");
    }
    Map<String, Object> before = state();

    InvalidInputException error = assertThrows(InvalidInputException.class, upload);

    assertEquals(ExitCode.INVALID_INPUT, error.exitCode());
    if (message != null) {
      assertEquals(message, error.getMessage());
    }
    assertEquals(before, state());
    return error;
  }

  private void assertStored(String name, int version, String digest, byte[] bytes, String source) {
    Map<String, Object> state = state();
    assertEquals(
        Set.of(
            keys.moduleNames(),
            keys.moduleSeq(),
            keys.moduleVersion(name, version),
            keys.moduleBlob(digest),
            keys.moduleRefs(digest)),
        state.keySet());
    assertEquals(Map.of(name, Integer.toString(version)), state.get(keys.moduleNames()));
    assertEquals(Set.of(name), state.get(keys.moduleRefs(digest)));
    @SuppressWarnings("unchecked")
    Map<String, String> stored =
        new TreeMap<>((Map<String, String>) state.get(keys.moduleVersion(name, version)));
    stored.remove("upload_id");
    assertEquals(
        new TreeMap<>(
            Map.of(
                "name",
                name,
                "version",
                Integer.toString(version),
                "digest",
                digest,
                "size",
                Integer.toString(bytes.length),
                "uploaded_at",
                Long.toString(clock.millis()),
                "source",
                source)),
        stored);
    assertArrayEquals(bytes, store.bytes(digest).orElseThrow());
  }

  private Map<String, Object> state() {
    return RedisState.of(TestSessions.client(redisUrl), prefix);
  }
}
