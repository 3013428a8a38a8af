package dev.taskqueue.registry;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.module.ModuleName;
import dev.taskqueue.module.ModuleStore;
import dev.taskqueue.module.ModuleVersion;
import dev.taskqueue.queue.TaskInspector;
import dev.taskqueue.sandbox.InvalidModuleException;
import dev.taskqueue.sandbox.ModuleValidator;
import dev.taskqueue.sandbox.TaskModule;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code registry show NAME [--json]}: every version of a module, what the newest one needs to run
 * (found by validating its stored bytes again) and how many of its tasks are open per queue.
 */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Shows every version of a module, what the newest imports, and its open tasks.")
final class ShowCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The module name.")
  String name;

  @Option(names = "--json", description = "Print the details as one JSON object.")
  boolean json;

  /** The newest version checked again: what it needs, or why it no longer passes. */
  private record Newest(ModuleVersion version, TaskModule module, String problem) {}

  @Override
  public Integer call() {
    ModuleName.check(name);
    List<ModuleVersion> versions;
    Newest newest;
    Map<String, Long> open;
    try (RegistrySession session = RegistrySession.open(common.config())) {
      versions = session.modules().versions(name);
      if (versions.isEmpty()) {
        throw ModuleStore.noSuchModule(name);
      }
      ModuleVersion latest = versions.get(versions.size() - 1);
      byte[] bytes =
          session
              .modules()
              .bytes(latest.digest())
              .orElseThrow(() -> ModuleStore.noSuchModule(name)); // removed meanwhile
      newest = check(latest, bytes);
      open = session.tasks().openTasks(name);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      printJson(out, versions, newest, open);
    } else {
      printText(out, versions, newest, open);
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** A module the validator accepted at upload may fail a stricter validator since; say so. */
  private static Newest check(ModuleVersion version, byte[] bytes) {
    try {
      return new Newest(version, ModuleValidator.validate(bytes, version.source()), null);
    } catch (InvalidModuleException e) {
      return new Newest(version, null, e.getMessage());
    }
  }

  private void printText(
      PrintWriter out, List<ModuleVersion> versions, Newest newest, Map<String, Long> open) {
    out.println(name + ": " + versions.size() + (versions.size() == 1 ? " version" : " versions"));
    Table table = new Table("VERSION", "DIGEST", "SIZE", "UPLOADED", "SOURCE", "OPTIONS");
    for (ModuleVersion v : versions) {
      table.row(
          "v" + v.version(),
          v.digest(),
          v.size(),
          Display.time(v.uploadedAt()),
          v.source(),
          Display.options(v.options()));
    }
    table.print(out);
    String label = "newest (v" + newest.version().version() + "): ";
    TaskModule module = newest.module();
    if (module == null) {
      out.println(label + "no longer passes validation: " + newest.problem());
    } else {
      out.println(
          label
              + "initializer "
              + module.initializer()
              + "; memory "
              + Display.memory(module.initialPages(), module.maximumPages()));
      out.println(
          "imports: "
              + (module.imports().isEmpty() ? "none" : String.join(", ", module.imports())));
    }
    out.println(
        "open tasks (pending or in progress): "
            + (open.isEmpty() ? "none" : TaskInspector.describe(open)));
  }

  private void printJson(
      PrintWriter out, List<ModuleVersion> versions, Newest newest, Map<String, Long> open) {
    Map<String, Object> latest = new LinkedHashMap<>();
    latest.put("version", newest.version().version());
    if (newest.module() == null) {
      latest.put("problem", newest.problem());
    } else {
      latest.putAll(Json.needs(newest.module()));
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("name", name);
    document.put("versions", versions.stream().map(Json::version).toList());
    document.put("newest", latest);
    document.put("open_tasks", open);
    Json.print(out, document);
  }
}
