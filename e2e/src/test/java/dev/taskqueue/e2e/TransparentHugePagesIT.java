package dev.taskqueue.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bin/lib/huge-pages.sh: the worker's JVM asks for transparent huge pages exactly where the
 * kernel's setting gives them, so that a kernel without them gets no JVM warning at every start.
 */
class TransparentHugePagesIT {
  private static final String OPTION = "-XX:+UseTransparentHugePages";

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "always [madvise] never | " + OPTION,
        "[always] madvise never | " + OPTION,
        "always madvise [never] | ''",
      })
  void theOptionFollowsTheKernelsSetting(String setting, String option)
      throws IOException, InterruptedException {
    Path file = dir.resolve("enabled");
    Files.writeString(file, setting + "\n");

    assertEquals(option, optionFor(file.toString()));
  }

  @Test
  void aKernelWithoutTheSettingGetsNoOption() throws IOException, InterruptedException {
    assertEquals("", optionFor(dir.resolve("absent").toString()));
  }

  /**
   * What the launcher's function prints for the setting in {@code file}; with none, for this
   * machine's kernel, as bin/worker calls it.
   */
  static String optionFor(String... file) throws IOException, InterruptedException {
    Path script = Executables.ROOT.resolve("bin/lib/huge-pages.sh");
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "set -eu; source \"$1\"; shift; transparent_huge_pages_option \"$@\"",
                "huge-pages-test",
                script.toString()));
    command.addAll(List.of(file));
    Process bash = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!bash.waitFor(30, TimeUnit.SECONDS)) {
      bash.destroyForcibly();
      throw new IllegalStateException("bash did not finish: " + out);
    }
    assertEquals(0, bash.exitValue(), out);
    return out.strip();
  }
}
