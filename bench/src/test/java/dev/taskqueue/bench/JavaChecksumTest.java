package dev.taskqueue.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The plain-Java checksum computes what the sample does: checked against the JDK's SHA-256. */
class JavaChecksumTest {
  @Test
  void sha256MatchesTheJdkAcrossPaddingBoundariesAndSplitUpdates() throws Exception {
    for (int length : new int[] {0, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 4099}) {
      byte[] data = JavaChecksum.buffer(length);
      Sha256 whole = new Sha256();
      whole.update(data, 0, data.length);
      Sha256 split = new Sha256();
      split.update(data, 0, length / 3);
      split.update(data, length / 3, length - length / 3);
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);

      assertArrayEquals(expected, whole.digest(), "length " + length);
      assertArrayEquals(expected, split.digest(), "length " + length + " in two updates");
    }
  }

  @Test
  void roundsAreChainedAndTheResultIsTheSamplesText() throws Exception {
    byte[] buffer = JavaChecksum.buffer(4096);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] first = sha.digest(buffer);
    sha.update(first);
    byte[] second = sha.digest(buffer);

    assertEquals(
        "{\"algorithm\":\"sha256\",\"bytes\":4096,\"rounds\":2,\"digest\":\""
            + HexFormat.of().formatHex(second)
            + "\"}",
        JavaChecksum.run(4096, 2));
  }

  @Test
  void theBufferIsXorshift32LittleEndianWithTheLastWordCut() {
    // From 1, x ^= x << 13; x ^= x >>> 17; x ^= x << 5 gives 0x00042021, then 0x04080601.
    assertArrayEquals(new byte[] {0x21, 0x20, 0x04, 0x00, 0x01}, JavaChecksum.buffer(5));
  }
}
