package dev.taskqueue.module;

import dev.taskqueue.error.NotFoundException;
import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.Redis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads module storage in Redis, shared by every worker on every machine: bytes by content digest,
 * versions by name. {@link ModulePublisher} and {@link ModuleRemover} write it.
 */
public final class ModuleStore {
  private final Redis redis;
  private final Keys keys;

  public ModuleStore(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** The newest version of {@code name}. */
  public Optional<ModuleVersion> latest(String name) {
    return redis
        .hget(keys.moduleNames(), name)
        .flatMap(latest -> version(name, Integer.parseInt(latest)));
  }

  /** Like {@link #latest} for a task name being submitted: a missing one is the caller's error. */
  public ModuleVersion require(String name) {
    return latest(name).orElseThrow(() -> unknownTask(name));
  }

  /** The error for a task name no module is registered under. */
  public static NotFoundException unknownTask(String name) {
    return new NotFoundException(
        "unknown task '"
            + name
            + "': no module is registered under that name; upload one with"
            + " 'registry upload --name "
            + name
            + " FILE.wasm' or see 'registry list'");
  }

  /** The error for a module name nothing is registered under, when asked for by that name. */
  public static NotFoundException noSuchModule(String name) {
    return new NotFoundException(
        "no module named '" + name + "' is registered; see 'registry list'");
  }

  public Optional<ModuleVersion> version(String name, int version) {
    Map<String, String> hash = redis.hgetall(keys.moduleVersion(name, version));
    return hash.isEmpty() ? Optional.empty() : Optional.of(ModuleVersion.fromHash(hash));
  }

  /**
   * Every version of {@code name}, oldest first. The numbers of a name uploaded again after its
   * removal continue where they stopped, so the list may start above 1.
   */
  public List<ModuleVersion> versions(String name) {
    List<ModuleVersion> versions = new ArrayList<>();
    latest(name).ifPresent(latest -> newestFirst(name, latest.version()).forEach(versions::add));
    Collections.reverse(versions);
    return versions;
  }

  /**
   * The versions of {@code name} from {@code from} down, newest first, each read only when the
   * stream reaches it; the stream ends at the first number missing (a removal of the name took
   * every version below it).
   */
  public Stream<ModuleVersion> newestFirst(String name, int from) {
    return IntStream.iterate(from, v -> v >= 1, v -> v - 1)
        .mapToObj(v -> version(name, v))
        .takeWhile(Optional::isPresent)
        .map(Optional::get);
  }

  /** The newest version of every module, by name. */
  public List<ModuleVersion> list() {
    Map<String, String> names = new TreeMap<>(redis.hgetall(keys.moduleNames()));
    List<ModuleVersion> latest = new ArrayList<>();
    names.forEach((name, v) -> version(name, Integer.parseInt(v)).ifPresent(latest::add));
    return latest;
  }

  /** The bytes stored under {@code digest}; empty once no module name uses them. */
  public Optional<byte[]> bytes(String digest) {
    return redis.getBytes(keys.moduleBlob(digest));
  }
}
