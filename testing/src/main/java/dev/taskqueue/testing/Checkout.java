package dev.taskqueue.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout's root folder, for tests that read its files ({@code .env.example}, {@code docs/},
 * {@code bin/}). It is found from the module folder that Maven's test runners name ({@code
 * basedir}), or else the working folder, walking up to the folder that holds {@code .env.example}
 * and the root {@code pom.xml}: so a test does not depend on the folder it was started in.
 */
public final class Checkout {
  private Checkout() {}

  public static Path root() {
    Path start = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(".env.example"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no task-queue checkout (.env.example and pom.xml) in "
            + start
            + " or above: run the tests from the checkout, e.g. with mvn verify");
  }
}
