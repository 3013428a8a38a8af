package dev.taskqueue.module;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.ScriptReply;
import dev.taskqueue.redis.ScriptRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;

/**
 * Module storage in Redis, shared by every worker on every machine: bytes by content digest,
 * versions by name. Validation happens before {@link #publish}; this class only stores.
 */
public final class ModuleStore {
  private final RedissonClient redis;
  private final ScriptRunner scripts;
  private final Keys keys;
  private final Clock clock;

  public ModuleStore(RedissonClient redis, ScriptRunner scripts, Keys keys, Clock clock) {
    this.redis = redis;
    this.scripts = scripts;
    this.keys = keys;
    this.clock = clock;
  }

  /** The outcome of {@link #publish}: the version now newest, and whether it is new. */
  public record Published(ModuleVersion version, boolean created) {}

  /** Stores {@code bytes} as the newest version of {@code name}, unless they already are. */
  public Published publish(String name, byte[] bytes, String source) {
    String digest = ModuleDigest.of(bytes);
    List<Object> reply =
        scripts.evalList(
            LuaScript.PUBLISH_MODULE,
            List.of(keys.moduleNames(), keys.moduleBlob(digest), keys.moduleRefs(digest)),
            name,
            digest,
            bytes,
            bytes.length,
            clock.millis(),
            source,
            keys.moduleVersionPrefix(name));
    int version = Integer.parseInt(String.valueOf(reply.get(0)));
    boolean created = "1".equals(String.valueOf(reply.get(1)));
    return new Published(version(name, version).orElseThrow(), created);
  }

  /** The newest version of {@code name}. */
  public Optional<ModuleVersion> latest(String name) {
    String latest = redis.<String, String>getMap(keys.moduleNames()).get(name);
    return latest == null ? Optional.empty() : version(name, Integer.parseInt(latest));
  }

  /** Like {@link #latest} for a task name being submitted: a missing one is the caller's error. */
  public ModuleVersion require(String name) {
    return latest(name)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "unknown task '"
                        + name
                        + "': no module is registered under that name; upload one with"
                        + " 'registry upload --name "
                        + name
                        + " FILE.wasm' or see 'registry list'"));
  }

  public Optional<ModuleVersion> version(String name, int version) {
    Map<String, String> hash =
        redis.<String, String>getMap(keys.moduleVersion(name, version)).readAllMap();
    return hash.isEmpty() ? Optional.empty() : Optional.of(ModuleVersion.fromHash(hash));
  }

  /** Every version of {@code name}, oldest first. */
  public List<ModuleVersion> versions(String name) {
    List<ModuleVersion> versions = new ArrayList<>();
    latest(name)
        .ifPresent(
            latest -> {
              for (int v = 1; v <= latest.version(); v++) {
                version(name, v).ifPresent(versions::add);
              }
            });
    return versions;
  }

  /** The newest version of every module, by name. */
  public List<ModuleVersion> list() {
    Map<String, String> names =
        new TreeMap<>(redis.<String, String>getMap(keys.moduleNames()).readAllMap());
    List<ModuleVersion> latest = new ArrayList<>();
    names.forEach((name, v) -> version(name, Integer.parseInt(v)).ifPresent(latest::add));
    return latest;
  }

  /** The bytes stored under {@code digest}; empty once no module name uses them. */
  public Optional<byte[]> bytes(String digest) {
    byte[] bytes = redis.<byte[]>getBucket(keys.moduleBlob(digest), ByteArrayCodec.INSTANCE).get();
    return Optional.ofNullable(bytes);
  }

  /**
   * Removes every version of {@code name}, and the bytes no other name shares.
   *
   * @return how many versions were removed
   */
  public int remove(String name) {
    long reply =
        scripts.evalLong(
            LuaScript.REMOVE_MODULE,
            List.of(keys.moduleNames()),
            name,
            keys.moduleVersionPrefix(name),
            keys.moduleBlob(""),
            keys.moduleRefs(""));
    if (reply < 0) {
      throw ScriptReply.of(LuaScript.REMOVE_MODULE, reply).toException(name);
    }
    return (int) reply;
  }
}
