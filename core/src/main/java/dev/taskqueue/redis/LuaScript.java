package dev.taskqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One state transition's Lua source, read from {@code lua/<name>.lua} on the class path, and the
 * SHA-1 by which Redis knows it once loaded. A line {@code --- @include "x"} is replaced by the
 * source of {@code lua/include/x.lua}: how several transitions share one rule (how an attempt ends)
 * without copying it.
 */
public record LuaScript(String name, String source, String sha) {
  // Before the scripts below: loading them uses it.
  private static final Pattern INCLUDE = Pattern.compile("(?m)^--- @include \"([a-z_]+)\"$");

  public static final LuaScript ENQUEUE = load("enqueue");
  public static final LuaScript CLAIM = load("claim");
  public static final LuaScript STAND_BY = load("stand_by");
  public static final LuaScript END_ATTEMPT = load("end_attempt");
  public static final LuaScript PUBLISH_MODULE = load("publish_module");
  public static final LuaScript ANNOUNCE_MODULE = load("announce_module");
  public static final LuaScript RETIRE_TASK_NAME = load("retire_task_name");
  public static final LuaScript RESTORE_TASK_NAME = load("restore_task_name");
  public static final LuaScript REMOVE_MODULE = load("remove_module");
  public static final LuaScript REAP_EXPIRED = load("reap_expired");
  public static final LuaScript RENEW_LEASES = load("renew_leases");
  public static final LuaScript PROMOTE_DUE = load("promote_due");
  public static final LuaScript HEARTBEAT = load("heartbeat");
  public static final LuaScript REMOVE_WORKERS = load("remove_workers");
  public static final LuaScript REPLAY_DEAD = load("replay_dead");
  public static final LuaScript TRIM_ENDED = load("trim_ended");
  public static final LuaScript CANCEL = load("cancel");
  public static final LuaScript CLAIM_SCHEDULE_NAME = load("claim_schedule_name");
  public static final LuaScript ADD_SCHEDULE = load("add_schedule");
  public static final LuaScript FIRE_SCHEDULE = load("fire_schedule");
  public static final LuaScript REMOVE_SCHEDULE = load("remove_schedule");
  public static final LuaScript PAUSE_SCHEDULE = load("pause_schedule");
  public static final LuaScript PAUSE_QUEUE = load("pause_queue");

  /** Every script above: what a process loads into Redis before it says it is ready. */
  public static final List<LuaScript> ALL =
      List.of(
          ENQUEUE,
          CLAIM,
          STAND_BY,
          END_ATTEMPT,
          PUBLISH_MODULE,
          ANNOUNCE_MODULE,
          RETIRE_TASK_NAME,
          RESTORE_TASK_NAME,
          REMOVE_MODULE,
          REAP_EXPIRED,
          RENEW_LEASES,
          PROMOTE_DUE,
          HEARTBEAT,
          REMOVE_WORKERS,
          REPLAY_DEAD,
          TRIM_ENDED,
          CANCEL,
          CLAIM_SCHEDULE_NAME,
          ADD_SCHEDULE,
          FIRE_SCHEDULE,
          REMOVE_SCHEDULE,
          PAUSE_SCHEDULE,
          PAUSE_QUEUE);

  static LuaScript load(String name) {
    String source = read("/lua/" + name + ".lua");
    Matcher include = INCLUDE.matcher(source);
    StringBuilder expanded = new StringBuilder();
    while (include.find()) {
      String part = read("/lua/include/" + include.group(1) + ".lua");
      include.appendReplacement(expanded, Matcher.quoteReplacement(part.stripTrailing()));
    }
    include.appendTail(expanded);
    String text = expanded.toString();
    return new LuaScript(name, text, sha1(text));
  }

  private static String read(String path) {
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("bug: script " + path + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
