package dev.taskqueue.registry;

import dev.taskqueue.cli.CommonOptions;
import dev.taskqueue.cli.VersionProvider;
import dev.taskqueue.config.Config;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.InvalidInputException;
import dev.taskqueue.module.ModuleName;
import dev.taskqueue.module.ModuleOptions;
import dev.taskqueue.module.ModuleVersion;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code registry upload [--name NAME] FILE}: check a module and publish it. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Checks a task module and stores it as the newest version of its name.",
      "FILE is a .wasm binary or .wat text (assembled here). Uploading the bytes and options"
          + " the newest version already has changes nothing."
    })
final class UploadCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ModuleOptionFlags options;
  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description =
          "Module name, which tasks are submitted under (default: FILE without extension).")
  String name;

  @Option(names = "--json", description = "Print the outcome as one JSON object.")
  boolean json;

  @Parameters(paramLabel = "FILE", description = "The module: a .wasm or .wat file.")
  Path file;

  @Override
  public Integer call() {
    Config config = common.config();
    // Checked before connecting: a bad module is reported even when Redis is down.
    ModuleChecker checker = new ModuleChecker(config);
    CheckedModule checked = checker.check(moduleName(), file);
    ModuleOptions granted = options.toOptions(checked.taskModule());
    ModuleUploader.Uploaded uploaded;
    try (RegistrySession session = RegistrySession.open(config)) {
      uploaded = new ModuleUploader(session.publisher()).publish(checked, granted);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> document = Json.version(uploaded.version());
      document.put("created", uploaded.created());
      document.put("assembled", checked.assembled());
      document.putAll(Json.needs(checked.taskModule()));
      Json.print(out, document);
    } else {
      out.println(describe(uploaded));
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** {@code greeter v2 sha256:4c1e0a9b2f3d 30406 bytes (new version)}. */
  private static String describe(ModuleUploader.Uploaded uploaded) {
    ModuleVersion version = uploaded.version();
    String what;
    if (!uploaded.created()) {
      what = "unchanged: v" + version.version() + " already has these bytes and options";
    } else if (uploaded.module().assembled()) {
      what = "new version, assembled from " + uploaded.module().source();
    } else {
      what = "new version";
    }
    return version.name()
        + " v"
        + version.version()
        + " "
        + Display.shortDigest(version.digest())
        + " "
        + version.size()
        + " bytes ("
        + what
        + ")";
  }

  private String moduleName() {
    if (name != null) {
      return name;
    }
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    String derived = dot > 0 ? fileName.substring(0, dot) : fileName;
    try {
      return ModuleName.check(derived);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          e.getMessage() + " (it comes from the file name; choose one with --name NAME)", e);
    }
  }
}
