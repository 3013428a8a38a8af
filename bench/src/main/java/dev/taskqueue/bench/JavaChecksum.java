package dev.taskqueue.bench;

import java.util.HexFormat;

/**
 * The checksum sample task (sample-tasks/src/checksum.c) in plain Java, for the {@code sandbox}
 * scenario to compare the guest with: the same xorshift32 buffer held in memory, the same chained
 * SHA-256 rounds ({@link Sha256}), the same result text. Only its self-test of three short vectors,
 * a few microseconds, is left out.
 */
final class JavaChecksum {
  private JavaChecksum() {}

  /** What the sample returns for {@code {"bytes":bytes,"rounds":rounds}}. */
  static String run(int bytes, int rounds) {
    byte[] buffer = buffer(bytes);
    byte[] digest = new byte[0];
    for (int r = 1; r <= rounds; r++) {
      Sha256 sha = new Sha256();
      sha.update(digest, 0, digest.length);
      sha.update(buffer, 0, bytes);
      digest = sha.digest();
    }
    return "{\"algorithm\":\"sha256\",\"bytes\":"
        + bytes
        + ",\"rounds\":"
        + rounds
        + ",\"digest\":\""
        + HexFormat.of().formatHex(digest)
        + "\"}";
  }

  /** xorshift32 from seed 1, each state after its step written little-endian, the last cut. */
  static byte[] buffer(int bytes) {
    byte[] buffer = new byte[bytes];
    int x = 1;
    for (int i = 0; i < bytes; i += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      for (int j = 0; j < 4 && i + j < bytes; j++) {
        buffer[i + j] = (byte) (x >>> (8 * j));
      }
    }
    return buffer;
  }
}
