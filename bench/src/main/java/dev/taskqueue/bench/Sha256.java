package dev.taskqueue.bench;

/**
 * SHA-256 (FIPS 180-4) written out in plain Java the way the checksum sample writes it in C, so
 * that the two measure the same work: the JDK's own is faster than any guest can be, because
 * HotSpot runs it on the CPU's SHA instructions.
 */
final class Sha256 {
  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  };

  private final int[] h = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  };
  private final int[] w = new int[64];
  private final byte[] block = new byte[64];
  private int used; // bytes waiting in block
  private long total; // bytes hashed so far

  void update(byte[] data, int offset, int length) {
    int p = offset;
    int n = length;
    total += n;
    if (used > 0) {
      int take = Math.min(64 - used, n);
      System.arraycopy(data, p, block, used, take);
      used += take;
      p += take;
      n -= take;
      if (used < 64) {
        return;
      }
      compress(block, 0);
      used = 0;
    }
    for (; n >= 64; p += 64, n -= 64) {
      compress(data, p);
    }
    System.arraycopy(data, p, block, 0, n);
    used = n;
  }

  /** Pads with 0x80, zeros and the bit length (FIPS 180-4 5.1.1), and returns the digest. */
  byte[] digest() {
    long bits = total * 8;
    int padLength = (used < 56 ? 56 : 120) - used;
    byte[] pad = new byte[padLength + 8];
    pad[0] = (byte) 0x80;
    for (int i = 0; i < 8; i++) {
      pad[padLength + i] = (byte) (bits >>> (56 - 8 * i));
    }
    update(pad, 0, pad.length);
    byte[] out = new byte[32];
    for (int i = 0; i < 8; i++) {
      out[4 * i] = (byte) (h[i] >>> 24);
      out[4 * i + 1] = (byte) (h[i] >>> 16);
      out[4 * i + 2] = (byte) (h[i] >>> 8);
      out[4 * i + 3] = (byte) h[i];
    }
    return out;
  }

  /** One 512-bit block (FIPS 180-4 6.2.2). */
  private void compress(byte[] p, int at) {
    for (int t = 0; t < 16; t++) {
      int i = at + 4 * t;
      w[t] =
          (p[i] & 0xff) << 24
              | (p[i + 1] & 0xff) << 16
              | (p[i + 2] & 0xff) << 8
              | (p[i + 3] & 0xff);
    }
    for (int t = 16; t < 64; t++) {
      int s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      int s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    int a = h[0];
    int b = h[1];
    int c = h[2];
    int d = h[3];
    int e = h[4];
    int f = h[5];
    int g = h[6];
    int k = h[7];
    for (int t = 0; t < 64; t++) {
      int t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      int t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
  }

  private static int rotr(int x, int n) {
    return Integer.rotateRight(x, n);
  }
}
