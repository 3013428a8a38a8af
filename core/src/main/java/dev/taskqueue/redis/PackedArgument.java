package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Many values packed into one script argument, a MessagePack array that the script reads with
 * {@code cmsgpack.unpack}: the other way from {@link PackedReply}. Redis reads each argument of a
 * command on its own and the client encodes each on its own, at a cost per argument several times
 * that of a few bytes here: a batch of a thousand tasks is thousands of values.
 *
 * <p>Writes texts (as MessagePack strings of their UTF-8 bytes) and whole numbers from 0 up, which
 * Lua reads back as strings and numbers. One thread writes it: its buffer takes no lock, unlike a
 * {@code ByteArrayOutputStream}, which locks for every byte.
 */
public final class PackedArgument {
  private final int size;
  private byte[] buffer;
  private int length;
  private int written;

  /** An array of {@code size} values, to be written one by one. */
  public PackedArgument(int size, int bytesHint) {
    this.size = size;
    this.buffer = new byte[Math.max(16, bytesHint + 16)];
    header(size, 0x90, 15, 0xdc, 0xdd);
  }

  public PackedArgument text(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 31) {
      write(0xa0 | bytes.length);
    } else if (bytes.length <= 0xff) {
      write(0xd9);
      write(bytes.length);
    } else {
      header(bytes.length, -1, -1, 0xda, 0xdb);
    }
    room(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
    written++;
    return this;
  }

  public PackedArgument number(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("bug: only numbers from 0 are packed, not " + value);
    }
    if (value <= 0x7f) {
      write((int) value);
    } else if (value <= 0xffffffffL) {
      write(0xce);
      bigEndian(value, 4);
    } else {
      write(0xcf);
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
    return Arrays.copyOf(buffer, length);
  }

  /** A length: in the fixed form's low bits when it fits, else after a 16- or 32-bit marker. */
  private void header(int count, int fixed, int fixedMax, int marker16, int marker32) {
    if (count <= fixedMax) {
      write(fixed | count);
    } else if (count <= 0xffff) {
      write(marker16);
      bigEndian(count, 2);
    } else {
      write(marker32);
      bigEndian(count, 4);
    }
  }

  private void bigEndian(long value, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      write((int) (value >>> shift) & 0xff);
    }
  }

  private void write(int b) {
    room(1);
    buffer[length++] = (byte) b;
  }

  /** Grows the buffer, when it must, to take {@code more} bytes. */
  private void room(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, length + more));
    }
  }
}
