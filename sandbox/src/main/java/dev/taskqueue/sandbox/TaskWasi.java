package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The WASI one slot thread's guests see, built once and lent to one task at a time: building
 * Chicory's {@link WasiPreview1} and its 48 host functions for every task was about a quarter of a
 * no-op task's CPU time. A task plugs in its own stdout, stderr and randomness ({@link #lend}) and
 * unplugs them when it ends ({@link #giveBack}); between tasks the streams lead nowhere.
 *
 * <p>What a guest can change in it is its table of file descriptors (closing or renumbering stdout,
 * say), which the next task must not inherit: a guest that calls a function able to change it
 * spoils this WASI, and {@link #giveBack} says so, so that it is thrown away. Everything else in it
 * is fixed: one argument, no directories, an empty stdin, the system clocks; the environment is the
 * task's module's own ({@link LentEnvironment}), empty unless it was granted variables.
 */
final class TaskWasi {
  /** The functions that change WASI's descriptor table: after one, the table is not pristine. */
  private static final Set<String> CHANGE_DESCRIPTORS =
      Set.of("fd_close", "fd_renumber", "path_open");

  private final LentStream stdout = new LentStream();
  private final LentStream stderr = new LentStream();
  private final LentRandom random = new LentRandom();
  private final LentEnvironment environment = new LentEnvironment();
  private final Map<String, HostFunction> byName = new HashMap<>();

  /**
   * The imports of the module lent to last, by name, and the functions for them: a worker mostly
   * runs one module after another. Names, not the module, so that an evicted module is not kept.
   */
  private List<String> lastNames;

  private ImportValues lastImports;
  private boolean spoiled;

  TaskWasi() {
    WasiOptions options =
        WasiOptions.builder()
            .withStdout(stdout)
            .withStderr(stderr)
            .withStdin(new ByteArrayInputStream(new byte[0]))
            .withArguments(List.of("task"))
            .withRandom(random)
            .withThrowOnExit0(true)
            .build();
    // Never closed: close() only closes files a guest opened, and a guest here opens none.
    WasiPreview1 wasi =
        WasiPreview1.builder().withLogger(SilentLogger.INSTANCE).withOptions(options).build();
    HostFunction[] functions = wasi.toHostFunctions();
    for (int i = 0; i < functions.length; i++) {
      HostFunction f = functions[i];
      if (f.name().equals("environ_sizes_get")) {
        functions[i] = new HostFunction(f.module(), f.name(), f.functionType(), environment::sizes);
      } else if (f.name().equals("environ_get")) {
        functions[i] = new HostFunction(f.module(), f.name(), f.functionType(), environment::get);
      } else if (CHANGE_DESCRIPTORS.contains(f.name())) {
        functions[i] =
            new HostFunction(
                f.module(),
                f.name(),
                f.functionType(),
                (instance, args) -> {
                  spoiled = true;
                  return f.handle().apply(instance, args);
                });
      }
    }
    for (HostFunction f : functions) {
      byName.put(TaskModule.importName(f.module(), f.name()), f);
    }
  }

  /**
   * The WASI functions {@code module} imports, in its order, wired to {@code out}, {@code err},
   * {@code bytes} and the variables {@code env} until given back.
   */
  ImportValues lend(
      CompiledModule module,
      OutputStream out,
      OutputStream err,
      Random bytes,
      Map<String, String> env) {
    stdout.target = out;
    stderr.target = err;
    random.target = bytes;
    environment.lend(env);
    List<String> names = module.module().imports();
    if (!names.equals(lastNames)) {
      lastImports = importsOf(names);
      lastNames = names;
    }
    return lastImports;
  }

  /** A validated module's imports are all WASI functions ({@link ModuleValidator}). */
  private ImportValues importsOf(List<String> names) {
    HostFunction[] imported = new HostFunction[names.size()];
    for (int i = 0; i < imported.length; i++) {
      imported[i] = byName.get(names.get(i));
      if (imported[i] == null) {
        throw new IllegalStateException(
            "bug: a validated module imports " + names.get(i) + ", not in WASI");
      }
    }
    return ImportValues.builder().addFunction(imported).build();
  }

  /**
   * Unplugs the task's streams and randomness.
   *
   * @return whether the task left it as it found it; if not, it must not be lent again
   */
  boolean giveBack() {
    stdout.target = OutputStream.nullOutputStream();
    stderr.target = OutputStream.nullOutputStream();
    random.target = null;
    environment.clear();
    return !spoiled;
  }

  /** The stream WASI writes to, which writes to the current task's; one thread uses it. */
  private static final class LentStream extends OutputStream {
    OutputStream target = OutputStream.nullOutputStream();

    @Override
    public void write(int b) throws IOException {
      target.write(b);
    }

    @Override
    public void write(byte[] data, int offset, int length) throws IOException {
      target.write(data, offset, length);
    }
  }

  /** The randomness WASI reads ({@code random_get} uses only {@code nextBytes}). */
  @SuppressWarnings("serial")
  private static final class LentRandom extends Random {
    Random target;

    @Override
    public void nextBytes(byte[] bytes) {
      target.nextBytes(bytes);
    }
  }
}
