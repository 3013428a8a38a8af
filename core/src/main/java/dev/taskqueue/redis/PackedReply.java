package dev.taskqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a script's reply that the script packed into one MessagePack string ({@code cmsgpack.pack},
 * built into Redis's Lua). A script with a large reply packs it because the client decodes each
 * element of a plain reply on its own, at a cost per element several times that of reading it here:
 * a claim of 50 tasks is over a thousand elements.
 *
 * <p>Reads what {@code cmsgpack} writes for the values scripts use: nil, booleans, integers,
 * floats, strings (as UTF-8 text), binary (as {@code byte[]}) and arrays (as {@link List}). A Lua
 * table that is not a sequence packs as a map, which no script sends: that, like any other type, is
 * a bug and says so.
 */
public final class PackedReply {
  private final byte[] bytes;
  private int at;

  private PackedReply(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The value packed in {@code bytes}: {@code null}, {@link Boolean}, {@link Long}, {@link Double},
   * {@link String}, {@code byte[]} or a {@link List} of those.
   *
   * @throws IllegalStateException when the bytes are not one whole value of those types
   */
  public static Object read(byte[] bytes) {
    PackedReply reply = new PackedReply(bytes);
    Object value;
    try {
      value = reply.value();
    } catch (ArrayIndexOutOfBoundsException e) {
      throw reply.bug("ends inside a value");
    }
    if (reply.at != bytes.length) {
      throw reply.bug("has " + (bytes.length - reply.at) + " bytes after its value");
    }
    return value;
  }

  private Object value() {
    int type = bytes[at++] & 0xff;
    if (type <= 0x7f) {
      return (long) type;
    }
    if (type >= 0xe0) {
      return (long) (byte) type;
    }
    if (type >= 0xa0 && type <= 0xbf) {
      return text(type & 0x1f);
    }
    if (type >= 0x90 && type <= 0x9f) {
      return array(type & 0x0f);
    }
    return switch (type) {
      case 0xc0 -> null;
      case 0xc2 -> false;
      case 0xc3 -> true;
      case 0xc4 -> binary(unsigned(1));
      case 0xc5 -> binary(unsigned(2));
      case 0xc6 -> binary(unsigned(4));
      case 0xca -> (double) Float.intBitsToFloat((int) unsigned(4));
      case 0xcb -> Double.longBitsToDouble(signed(8));
      case 0xcc -> unsigned(1);
      case 0xcd -> unsigned(2);
      case 0xce -> unsigned(4);
      case 0xcf -> unsigned64();
      case 0xd0 -> signed(1);
      case 0xd1 -> signed(2);
      case 0xd2 -> signed(4);
      case 0xd3 -> signed(8);
      case 0xd9 -> text(unsigned(1));
      case 0xda -> text(unsigned(2));
      case 0xdb -> text(unsigned(4));
      case 0xdc -> array(unsigned(2));
      case 0xdd -> array(unsigned(4));
      default ->
          throw bug(String.format("holds type 0x%02x at byte %d, which no script sends", type, at));
    };
  }

  private List<Object> array(long size) {
    List<Object> values = new ArrayList<>(count(size));
    for (long i = 0; i < size; i++) {
      values.add(value());
    }
    return values;
  }

  private String text(long size) {
    int length = count(size);
    String text = new String(bytes, at, length, StandardCharsets.UTF_8);
    at += length;
    return text;
  }

  private byte[] binary(long size) {
    int length = count(size);
    byte[] value = Arrays.copyOfRange(bytes, at, at + length);
    at += length;
    return value;
  }

  /** A length, checked against what is left: a corrupt one must not allocate gigabytes. */
  private int count(long size) {
    if (size > bytes.length - at) {
      throw bug(
          "says " + size + " values or bytes follow, with " + (bytes.length - at) + " bytes left");
    }
    return (int) size;
  }

  private long unsigned(int width) {
    long value = 0;
    for (int i = 0; i < width; i++) {
      value = (value << 8) | (bytes[at++] & 0xff);
    }
    return value;
  }

  private long unsigned64() {
    long value = unsigned(8);
    if (value < 0) {
      throw bug("holds an integer above 2^63 - 1, which no script sends");
    }
    return value;
  }

  private long signed(int width) {
    long value = unsigned(width);
    int unused = 64 - 8 * width;
    return (value << unused) >> unused;
  }

  private IllegalStateException bug(String what) {
    return new IllegalStateException("bug: a packed script reply " + what);
  }
}
