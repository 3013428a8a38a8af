package dev.taskqueue.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckoutTest {
  @Test
  void findsTheRootFromTheModuleFolder() {
    Path root = Checkout.root();

    assertTrue(Files.isRegularFile(root.resolve("testing/pom.xml")), root.toString());
    assertTrue(root.isAbsolute(), root.toString());
  }

  @Test
  void findsTheSameRootFromBelowIt() {
    String basedir = System.getProperty("basedir");
    Path root = Checkout.root();
    try {
      System.setProperty("basedir", root.resolve("testing/src/main").toString());

      assertEquals(root, Checkout.root());
    } finally {
      if (basedir == null) {
        System.clearProperty("basedir");
      } else {
        System.setProperty("basedir", basedir);
      }
    }
  }
}
