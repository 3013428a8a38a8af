package dev.taskqueue.registry;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.module.ModuleVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code registry list [--json]}: the newest version of every module. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lists every module with its newest version.")
final class ListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print {\"modules\": [...]} as one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    List<ModuleVersion> modules;
    try (RegistrySession session = RegistrySession.open(common.config())) {
      modules = session.modules().list();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.print(out, Map.of("modules", modules.stream().map(Json::version).toList()));
    } else if (modules.isEmpty()) {
      out.println("no modules registered; upload one with 'registry upload FILE.wasm'");
    } else {
      Table table = new Table("NAME", "VERSION", "DIGEST", "SIZE", "UPLOADED", "SOURCE");
      for (ModuleVersion m : modules) {
        table.row(
            m.name(),
            "v" + m.version(),
            Display.shortDigest(m.digest()),
            m.size(),
            Display.time(m.uploadedAt()),
            m.source());
      }
      table.print(out);
    }
    out.flush();
    return ExitCode.OK.code();
  }
}
