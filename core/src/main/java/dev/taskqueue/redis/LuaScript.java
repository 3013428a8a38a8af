package dev.taskqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One state transition's Lua source, read from {@code lua/<name>.lua} on the class path, and the
 * SHA-1 by which Redis knows it once loaded.
 */
public record LuaScript(String name, String source, String sha) {
  public static final LuaScript ENQUEUE = load("enqueue");
  public static final LuaScript CLAIM = load("claim");
  public static final LuaScript END_ATTEMPT = load("end_attempt");
  public static final LuaScript PUBLISH_MODULE = load("publish_module");
  public static final LuaScript RETIRE_TASK_NAME = load("retire_task_name");
  public static final LuaScript RESTORE_TASK_NAME = load("restore_task_name");
  public static final LuaScript REMOVE_MODULE = load("remove_module");

  static LuaScript load(String name) {
    String path = "/lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bug: script " + path + " is not on the class path");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new LuaScript(name, source, sha1(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return name + ".lua";
  }
}
