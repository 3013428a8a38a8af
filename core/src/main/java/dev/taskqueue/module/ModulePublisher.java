package dev.taskqueue.module;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.Resend;
import dev.taskqueue.redis.ScriptReply;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Stores a module as the newest version of its name ({@code publish_module.lua}), then announces it
 * to every queue ({@link ModuleAnnouncer}). Validation happens before; this class only stores.
 */
public final class ModulePublisher {
  private static final int STALE_TRIES = 10;

  private final Redis redis;
  private final Keys keys;
  private final ModuleStore store;
  private final ModuleAnnouncer announcer;
  private final Clock clock;
  private final Duration resendFor;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param resendFor how long an upload whose reply was lost is sent again before its outcome is
   *     reported unknown ({@code TASK_QUEUE_REDIS_RETRY_FOR})
   */
  public ModulePublisher(Redis redis, Keys keys, Clock clock, Duration resendFor) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.store = new ModuleStore(redis, keys);
    this.announcer = new ModuleAnnouncer(redis, keys);
    this.clock = Objects.requireNonNull(clock);
    this.resendFor = Objects.requireNonNull(resendFor);
  }

  /** The outcome of {@link #publish}: the version now newest, and whether it is new. */
  public record Published(ModuleVersion version, boolean created) {}

  /**
   * Stores {@code bytes} as the newest version of {@code name}, unless they already are, and
   * announces that version to every queue, in both cases: an upload that died before announcing is
   * repaired by uploading the same bytes again. Safe against lost replies (it is resent, and a
   * repeat reports the version it made) and against concurrent uploads of the name (it reads again
   * and retries).
   */
  public Published publish(String name, byte[] bytes, String source) {
    return publish(name, bytes, source, ModuleOptions.NONE);
  }

  /**
   * Like {@link #publish(String, byte[], String)}, granting the module's tasks {@code options}: the
   * same bytes with other options make a new version.
   */
  public Published publish(String name, byte[] bytes, String source, ModuleOptions options) {
    String optionsJson = options.toJson();
    String digest = ModuleDigest.of(bytes);
    byte[] id = new byte[12];
    random.nextBytes(id);
    String uploadId = HexFormat.of().formatHex(id);
    Instant deadline = clock.instant().plus(resendFor);
    for (int attempt = 0; attempt < STALE_TRIES; attempt++) {
      int latest = Resend.until(deadline, clock, () -> number(keys.moduleNames(), name));
      int issued = Resend.until(deadline, clock, () -> number(keys.moduleSeq(), name));
      int next = Math.max(latest, issued) + 1;
      List<?> reply =
          Resend.until(
              deadline,
              clock,
              () ->
                  redis
                      .scripts()
                      .evalList(
                          LuaScript.PUBLISH_MODULE,
                          List.of(
                              keys.moduleNames(),
                              keys.moduleSeq(),
                              keys.moduleBlob(digest),
                              keys.moduleRefs(digest),
                              keys.moduleVersion(name, latest),
                              keys.moduleVersion(name, next)),
                          List.of(
                              name,
                              digest,
                              bytes,
                              bytes.length,
                              clock.millis(),
                              source,
                              latest,
                              next,
                              uploadId,
                              optionsJson)));
      long code = ((Number) reply.get(0)).longValue();
      int version = ((Number) reply.get(1)).intValue();
      ScriptReply outcome = ScriptReply.of(LuaScript.PUBLISH_MODULE, code);
      switch (outcome) {
        case OK, ALREADY_DONE -> {
          ModuleVersion published =
              Resend.until(deadline, clock, () -> store.version(name, version))
                  .orElseThrow(
                      () -> new IllegalStateException("bug: published version is not there"));
          Resend.until(
              deadline,
              clock,
              () -> {
                announcer.announce(published);
                return true;
              });
          return new Published(published, outcome == ScriptReply.OK);
        }
        case STALE -> {
          // Another upload of the name came in between: read again.
        }
        default -> throw outcome.unexpectedFrom(LuaScript.PUBLISH_MODULE);
      }
    }
    throw new IllegalStateException(
        "module '" + name + "' kept changing while this upload ran; upload it again");
  }

  private int number(String hash, String name) {
    return redis.hget(hash, name).map(Integer::parseInt).orElse(0);
  }
}
