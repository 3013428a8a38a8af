package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.support.TestSessions;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisState;
import dev.taskqueue.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry upload} starts each module once, as its tasks start, and refuses one whose start
 * fails: every task of it would fail the same way.
 */
@ExtendWith(RedisExtension.class)
class StartCheckTest {
  /**
   * Its {@code _initialize} exits with code 3 unless it was granted an environment variable; it
   * says why on stderr first.
   */
  private static final String NEEDS_ENV =
      """
      (module
        (import "wasi_snapshot_preview1" "environ_sizes_get"
          (func $sizes (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_write"
          (func $write (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "needs CONFIG\\n")
        (func (export "_initialize")
          (drop (call $sizes (i32.const 0) (i32.const 4)))
          (if (i32.eqz (i32.load (i32.const 0)))
            (then
              (i32.store (i32.const 0) (i32.const 16))
              (i32.store (i32.const 4) (i32.const 13))
              (drop (call $write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
              (call $exit (i32.const 3)))))
        (func (export "alloc") (param i32) (result i32) (i32.const 1024))
        (func (export "execute") (param i32 i32) (result i64) (i64.const 0)))
      """;

  @TempDir Path dir;
  private TestRedis redis;
  private RegistryCli cli;

  @BeforeEach
  void setUp(TestRedis redis) {
    this.redis = redis;
    cli = RegistryCli.of(redis, dir);
  }

  @Test
  void aModuleWhoseStartTrapsIsRefusedAndNothingIsStored() {
    Path trap =
        wat(
            "trap-start.wat",
            """
            (module
              (memory (export "memory") 1)
              (func (export "_initialize") unreachable)
              (func (export "alloc") (param i32) (result i32) (i32.const 0))
              (func (export "execute") (param i32 i32) (result i64) (i64.const 0)))
            """);
    Map<String, Object> before = state();

    RegistryCli.Run run = cli.run("upload", trap.toString());

    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry upload: trap-start.wat does not start: trapped in _initialize: Trapped on"
                + " unreachable instruction; every task of it would fail so: mend its start-up"
                + " code (constructors, global initializers, _start) and upload it again\n"),
        run);
    assertEquals(before, state());
  }

  @Test
  void theStartSeesTheEnvironmentGrantedAtUploadAndWhatItWroteIsQuoted() {
    Path needsEnv = wat("needs-env.wat", NEEDS_ENV);

    RegistryCli.Run bare = cli.run("upload", needsEnv.toString());
    RegistryCli.Run granted = cli.run("upload", "--env", "CONFIG=x", needsEnv.toString());

    assertEquals(2, bare.exitCode(), bare.toString());
    assertEquals(
        "registry upload: needs-env.wat does not start: exited with code 3 in _initialize,"
            + " before execute (it wrote to stderr: needs CONFIG); every task of it would fail"
            + " so: mend its start-up code (constructors, global initializers, _start) and upload"
            + " it again\n",
        bare.err());
    assertEquals(0, granted.exitCode(), granted.toString());
    assertTrue(granted.out().startsWith("needs-env v1 "), granted.out());
  }

  @Test
  void aStartThatNeverEndsIsRefusedAtTheModulesTimeoutOrTheDefault() {
    String loop = Modules.testFile(dir, "init-loop.wat").toString();
    RegistryCli quick = RegistryCli.of(redis, dir, "TASK_QUEUE_DEFAULT_TIMEOUT=300ms");

    RegistryCli.Run own = cli.run("upload", "--timeout", "200ms", loop);
    RegistryCli.Run byDefault = quick.run("upload", loop);

    assertEquals(2, own.exitCode(), own.toString());
    assertTrue(
        own.err()
            .startsWith(
                "registry upload: init-loop.wat does not start: _initialize ran past 200ms"
                    + " (the module's --timeout); every task"),
        own.err());
    assertEquals(2, byDefault.exitCode(), byDefault.toString());
    assertTrue(
        byDefault
            .err()
            .startsWith(
                "registry upload: init-loop.wat does not start: _initialize ran past 300ms"
                    + " (TASK_QUEUE_DEFAULT_TIMEOUT; a slow start needs --timeout); every task"),
        byDefault.err());
  }

  @Test
  void aCommandsStartEndingInExitZeroIsAccepted() {
    RegistryCli.Run run = cli.run("upload", Modules.testFile(dir, "exit-start.wat").toString());

    assertEquals(0, run.exitCode(), run.toString());
  }

  private Path wat(String file, String text) {
    return Modules.write(dir.resolve(file), text.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> state() {
    return RedisState.of(TestSessions.client(redis.url()), redis.prefix());
  }
}
