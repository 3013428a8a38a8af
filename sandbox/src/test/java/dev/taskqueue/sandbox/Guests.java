package dev.taskqueue.sandbox;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.taskqueue.module.ModuleDigest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Loads the guest modules tests run: the test's own WAT files and the built sample tasks. */
final class Guests {
  private Guests() {}

  /** Assembles {@code modules/<name>.wat} from the harness. */
  static byte[] wat(String name) {
    String text = new String(resource("/modules/" + name + ".wat"), StandardCharsets.UTF_8);
    return WatAssembler.assemble(text, name + ".wat");
  }

  /** A sample task built by sample-tasks/build.sh: {@code greeter.wasm}, {@code uppercase.wat}. */
  static byte[] sample(String file) {
    byte[] bytes = resource("/sample-tasks/" + file);
    return file.endsWith(".wat")
        ? WatAssembler.assemble(new String(bytes, StandardCharsets.UTF_8), file)
        : bytes;
  }

  static byte[] example(String task) {
    return resource("/sample-tasks/examples/" + task + ".json");
  }

  static CompiledModule compile(byte[] bytes) {
    return CompiledModule.compile(ModuleDigest.of(bytes), ModuleValidator.validate(bytes, "test"));
  }

  /**
   * Compiles a module that {@link ModuleValidator} would refuse, as if it had got past it: what the
   * sandbox must still survive. The module must export {@code _initialize} and one memory.
   */
  static CompiledModule compileUnvalidated(byte[] bytes) {
    WasmModule module = Parser.parse(bytes);
    MemoryLimits memory = module.memorySection().orElseThrow().getMemory(0).limits();
    TaskModule task =
        new TaskModule(module, "_initialize", List.of(), memory.initialPages(), Optional.empty());
    return CompiledModule.compile(ModuleDigest.of(bytes), task);
  }

  private static byte[] resource(String path) {
    try (InputStream in = Guests.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
