package dev.taskqueue.module;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.LuaScript;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScriptCall;
import java.util.List;

/**
 * Tells every queue which module version is the newest of its name ({@code announce_module.lua}),
 * so that a submit pins it in the queue's own slot, in the same script that enqueues. {@link
 * ModulePublisher} announces after each upload.
 *
 * <p>A queue that appears during an upload is not missed: a producer registers a queue before it
 * submits, and a queue that knows no version of a name reads the registry once. So a producer that
 * read the registry before the upload registered its queue before the announcement read the queue
 * index, and one that read it after saw the new version.
 */
final class ModuleAnnouncer {
  private final Redis redis;
  private final Keys keys;

  ModuleAnnouncer(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Announces {@code version} to every queue, in one pipelined round trip after the index. */
  void announce(ModuleVersion version) {
    List<ScriptCall> calls =
        redis.smembers(keys.queues()).stream()
            .map(
                queue ->
                    new ScriptCall(
                        LuaScript.ANNOUNCE_MODULE,
                        List.of(keys.modules(queue)),
                        List.of(version.name(), version.version(), version.digest())))
            .toList();
    var unused = redis.scripts().evalBatch(calls);
  }
}
