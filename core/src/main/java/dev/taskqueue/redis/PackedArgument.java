package dev.taskqueue.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Many values packed into one script argument, a MessagePack array that the script reads with
 * {@code cmsgpack.unpack}: the other way from {@link PackedReply}. Redis reads each argument of a
 * command on its own and the client encodes each on its own, at a cost per argument several times
 * that of a few bytes here: a batch of a thousand tasks is thousands of values.
 *
 * <p>Writes texts (as MessagePack strings of their UTF-8 bytes) and whole numbers from 0 up, which
 * Lua reads back as strings and numbers.
 */
public final class PackedArgument {
  private final ByteArrayOutputStream out;
  private final int size;
  private int written;

  /** An array of {@code size} values, to be written one by one. */
  public PackedArgument(int size, int bytesHint) {
    this.size = size;
    this.out = new ByteArrayOutputStream(bytesHint + 16);
    header(size, 0x90, 15, 0xdc, 0xdd);
  }

  public PackedArgument text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 31) {
      out.write(0xa0 | bytes.length);
    } else if (bytes.length <= 0xff) {
      out.write(0xd9);
      out.write(bytes.length);
    } else {
      header(bytes.length, -1, -1, 0xda, 0xdb);
    }
    out.write(bytes, 0, bytes.length);
    written++;
    return this;
  }

  public PackedArgument number(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("bug: only numbers from 0 are packed, not " + value);
    }
    if (value <= 0x7f) {
      out.write((int) value);
    } else if (value <= 0xffffffffL) {
      out.write(0xce);
      bigEndian(value, 4);
    } else {
      out.write(0xcf);
      bigEndian(value, 8);
    }
    written++;
    return this;
  }

  /** The packed array. */
  public byte[] bytes() {
    if (written != size) {
      throw new IllegalStateException("bug: " + written + " values packed of " + size);
    }
    return out.toByteArray();
  }

  /** A length: in the fixed form's low bits when it fits, else after a 16- or 32-bit marker. */
  private void header(int length, int fixed, int fixedMax, int marker16, int marker32) {
    if (length <= fixedMax) {
      out.write(fixed | length);
    } else if (length <= 0xffff) {
      out.write(marker16);
      bigEndian(length, 2);
    } else {
      out.write(marker32);
      bigEndian(length, 4);
    }
  }

  private void bigEndian(long value, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
  }
}
