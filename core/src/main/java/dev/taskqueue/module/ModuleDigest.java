package dev.taskqueue.module;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The content address of a module: {@code sha256:} followed by 64 lower-case hex digits. */
public final class ModuleDigest {
  private ModuleDigest() {}

  public static String of(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The first 12 hex digits, enough for people to tell versions apart. */
  public static String shortForm(String digest) {
    int start = digest.indexOf(':') + 1;
    return digest.substring(start, Math.min(digest.length(), start + 12));
  }
}
