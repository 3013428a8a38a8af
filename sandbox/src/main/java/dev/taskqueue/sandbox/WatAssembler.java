package dev.taskqueue.sandbox;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wabt.Wat2WasmModule;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Assembles WebAssembly text ({@code .wat}) into a binary module in pure Java: wabt's {@code
 * wat2wasm}, itself compiled to WebAssembly, run by Chicory over an in-memory file system. Its
 * error messages (line, column, what was expected) are passed on to the person uploading.
 */
public final class WatAssembler {
  private static final WasmModule WAT2WASM = Wat2WasmModule.load();

  private WatAssembler() {}

  /**
   * Assembles {@code text}; {@code fileName} is how errors refer to it.
   *
   * @throws InvalidModuleException when the text is not valid WebAssembly text
   */
  public static byte[] assemble(String text, String fileName) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (FileSystem fs =
        Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("unix").build())) {
      Path dir = fs.getPath("/wat");
      Files.createDirectory(dir);
      String name = safeName(fileName);
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
      WasiOptions options =
          WasiOptions.builder()
              .withStdout(stdout)
              .withStderr(stderr)
              .withDirectory("/wat", dir)
              .withArguments(List.of("wat2wasm", "/wat/" + name, "--output=-"))
              .build();
      try (WasiPreview1 wasi =
          WasiPreview1.builder().withLogger(SilentLogger.INSTANCE).withOptions(options).build()) {
        Instance.builder(WAT2WASM)
            .withMachineFactory(Wat2WasmModule::create)
            .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
            .build();
      } catch (WasiExitException e) {
        if (e.exitCode() != 0) {
          throw new InvalidModuleException(
              fileName + " is not valid WebAssembly text: " + firstLines(stderr));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stdout.toByteArray();
  }

  /**
   * wat2wasm prints the error in colour, then the offending line with a caret; keep the first line
   * as plain text.
   */
  private static String firstLines(ByteArrayOutputStream stderr) {
    String text =
        stderr.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[;\\d]*m", "").strip();
    String first = text.lines().findFirst().orElse("wat2wasm failed");
    return first.replace("/wat/", "");
  }

  private static String safeName(String fileName) {
    String base = Path.of(fileName).getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "_");
    return base.isEmpty() ? "module.wat" : base;
  }
}
