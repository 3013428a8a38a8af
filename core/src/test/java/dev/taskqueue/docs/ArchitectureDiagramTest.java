package dev.taskqueue.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.testing.Checkout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** arch.svg is generated from docs/arch.dot; this catches a picture older than its source. */
class ArchitectureDiagramTest {
  @Test
  void theSvgWasRenderedFromTheCurrentSource() throws Exception {
    Path root = Checkout.root();
    byte[] source = Files.readAllBytes(root.resolve("docs/arch.dot"));
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source));

    String svg = Files.readString(root.resolve("arch.svg"));

    assertTrue(
        svg.contains("generated from docs/arch.dot sha256:" + digest),
        "arch.svg is stale: run scripts/render-arch.sh");
  }
}
