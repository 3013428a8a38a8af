package dev.taskqueue.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version the jar was built as. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"task-queue " + (version == null ? "(development build)" : version)};
  }
}
