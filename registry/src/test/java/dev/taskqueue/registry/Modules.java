package dev.taskqueue.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modules tests upload, as files: the built sample tasks from the sample-tasks jar and the
 * tests' guest modules, {@code modules/*.wat} from the harness.
 */
final class Modules {
  private Modules() {}

  /** A sample task, e.g. {@code greeter.wasm} or {@code uppercase.wat}, as stored in the jar. */
  static byte[] sample(String file) {
    return resource("/sample-tasks/" + file);
  }

  /** The size of a built sample, read from the file: compilers differ in what they emit. */
  static int size(String file) {
    return sample(file).length;
  }

  /** {@link #sample} written to {@code dir/file}. */
  static Path sampleFile(Path dir, String file) {
    return write(dir.resolve(file), sample(file));
  }

  /** {@code modules/<file>} from the harness, written to {@code dir/file}. */
  static Path testFile(Path dir, String file) {
    return write(dir.resolve(file), resource("/modules/" + file));
  }

  static Path write(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String path) {
    try (InputStream in = Modules.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the test class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
