package dev.taskqueue.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.testing.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code .env.example} and the README's table must say what {@link Settings} says. */
class EnvExampleTest {
  private static final Path ROOT = Checkout.root();

  @Test
  void envExampleListsEverySettingWithItsDefaultAndMeaning() throws Exception {
    String actual = Files.readString(ROOT.resolve(".env.example"));
    for (Setting<?> setting : Settings.ALL) {
      String entry =
          "# "
              + setting.description()
              + "\n"
              + setting.name()
              + "="
              + setting.defaultValue()
              + "\n";
      assertTrue(actual.contains(entry), ".env.example lacks, or differs from:\n" + entry);
    }
    long assignments = actual.lines().filter(l -> l.matches("[A-Z_]+=.*")).count();
    assertEquals(Settings.ALL.size(), assignments, "one assignment per setting, no others");
  }

  @Test
  void readmeTableListsEverySettingWithItsDefault() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Setting<?> setting : Settings.ALL) {
      String row = "| `" + setting.name() + "` | `" + setting.defaultValue() + "` |";
      assertTrue(readme.contains(row), "README.md configuration table lacks the row: " + row);
    }
  }

  @Test
  void everyDefaultIsItselfValid() {
    for (Setting<?> setting : Settings.ALL) {
      setting.parse(setting.defaultValue(), "the default");
    }
  }
}
