package dev.taskqueue.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The parent command: help, version, completion and what happens without a subcommand. */
class RegistryCommandTest {
  @Test
  void withoutACommandSaysWhichThereAre() {
    assertEquals(
        new RegistryCli.Run(
            2,
            "",
            "registry: name a command: upload, list, show, rm or generate-completion (see"
                + " 'registry --help')\n"),
        RegistryCli.runBare());
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    RegistryCli.Run run = RegistryCli.runBare("publish", "x.wasm");

    assertEquals(2, run.exitCode());
    assertTrue(run.err().startsWith("registry: Unmatched argument"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  void everyCommandHasHelpAndVersion() {
    for (String command : new String[] {"upload", "list", "show", "rm"}) {
      RegistryCli.Run help = RegistryCli.runBare(command, "--help");
      RegistryCli.Run version = RegistryCli.runBare(command, "--version");

      assertEquals(0, help.exitCode(), command);
      assertTrue(help.out().startsWith("Usage: registry " + command), help.out());
      assertTrue(help.out().contains("--redis-url=URL"), help.out());
      assertEquals(0, version.exitCode(), command);
      assertTrue(version.out().startsWith("task-queue "), version.out());
    }
    assertTrue(RegistryCli.runBare("--help").out().contains("generate-completion"));
  }

  @Test
  void generatesACompletionScript() {
    RegistryCli.Run run = RegistryCli.runBare("generate-completion");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("complete -F _complete_registry"), run.out());
  }
}
