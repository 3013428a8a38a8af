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
import java.util.ArrayList;
import java.util.List;
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
      "Checks task modules and stores each as the newest version of its name.",
      "FILE is a .wasm binary or .wat text (assembled here). Each is validated, compiled and"
          + " started once (its _initialize or _start, with the options given), as every task"
          + " of it starts: one that fails to start is refused. Uploading the bytes and options"
          + " the newest version already has changes nothing. With several files, all are"
          + " checked before any is stored: one that is refused stores none."
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

  @Option(names = "--json", description = "Print each outcome as one JSON object per line.")
  boolean json;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description = "The modules: .wasm or .wat files, each named after its file.")
  List<Path> files;

  @Override
  public Integer call() {
    if (name != null && files.size() > 1) {
      throw new InvalidInputException(
          "--name names one module, but " + files.size() + " files were given: give one FILE");
    }
    Config config = common.config();
    // Checked before connecting: a bad module is reported even when Redis is down; and all of
    // them before any is stored.
    ModuleChecker checker = new ModuleChecker(config);
    List<CheckedModule> checked = new ArrayList<>(files.size());
    List<ModuleOptions> granted = new ArrayList<>(files.size());
    try (StartCheck start = new StartCheck(config)) {
      for (Path file : files) {
        CheckedModule module = checker.check(moduleName(file), file);
        ModuleOptions moduleOptions = options.toOptions(module.taskModule());
        start.check(module, moduleOptions);
        checked.add(module);
        granted.add(moduleOptions);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (RegistrySession session = RegistrySession.open(config)) {
      ModuleUploader uploader = new ModuleUploader(session.publisher(), session.modules());
      for (int i = 0; i < checked.size(); i++) {
        print(out, checked.get(i), uploader.publish(checked.get(i), granted.get(i)));
      }
    }
    return ExitCode.OK.code();
  }

  private void print(PrintWriter out, CheckedModule checked, ModuleUploader.Uploaded uploaded) {
    if (json) {
      Map<String, Object> document = Json.version(uploaded.version());
      document.put("created", uploaded.created());
      uploaded
          .earlier()
          .ifPresent(
              earlier -> {
                document.put("same_bytes_as", earlier.version());
                document.put(
                    "same_options", earlier.options().equals(uploaded.version().options()));
              });
      document.put("assembled", checked.assembled());
      document.putAll(Json.needs(checked.taskModule()));
      Json.print(out, document);
    } else {
      out.println(describe(uploaded));
    }
    out.flush();
  }

  /**
   * {@code greeter v2 sha256:4c1e0a9b2f3d 30406 bytes (new version)}, and what an earlier version
   * it brings back: {@code (new version: v1's bytes and options again)}.
   */
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
    if (uploaded.earlier().isPresent()) {
      ModuleVersion earlier = uploaded.earlier().get();
      what +=
          ": v"
              + earlier.version()
              + (earlier.options().equals(version.options())
                  ? "'s bytes and options again"
                  : "'s bytes, with other options");
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

  private String moduleName(Path file) {
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
