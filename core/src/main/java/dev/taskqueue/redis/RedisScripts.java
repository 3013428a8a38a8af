package dev.taskqueue.redis;

import static dev.taskqueue.redis.RedisFailures.call;
import static dev.taskqueue.redis.RedisFailures.translateAsync;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RScriptAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNoScriptException;

/**
 * Runs task-queue's Lua scripts ({@link LuaScript}): every change of state that touches more than
 * one key is one of them, atomic in Redis. Scripts go by SHA; one Redis does not hold (after a
 * restart, a failover or {@code SCRIPT FLUSH}) is loaded and sent again, which is safe: a NOSCRIPT
 * reply means it did not run. Failures come out as {@link Redis} says.
 */
public final class RedisScripts {
  private final RedissonClient client;
  private final BooleanSupplier cluster;
  private final RScript scripts;
  private final RScript packedScripts;

  RedisScripts(RedissonClient client, BooleanSupplier cluster) {
    this.client = client;
    this.cluster = cluster;
    this.scripts = client.getScript(ScriptCodec.TEXT);
    this.packedScripts = client.getScript(ScriptCodec.BYTES);
  }

  /** Runs a script whose reply is an integer. */
  public long evalLong(LuaScript script, List<String> keys, List<?> args) {
    return (Long) eval(scripts, script, RScript.ReturnType.LONG, keys, args);
  }

  /** Runs a script whose reply is an array, possibly of arrays. */
  public List<?> evalList(LuaScript script, List<String> keys, List<?> args) {
    return (List<?>) eval(scripts, script, RScript.ReturnType.LIST, keys, args);
  }

  /**
   * Runs a script that packs its reply into one string ({@code cmsgpack.pack}), and reads it: see
   * {@link PackedReply#read} for what it holds.
   */
  public Object evalPacked(LuaScript script, List<String> keys, List<?> args) {
    return PackedReply.read(
        (byte[]) eval(packedScripts, script, RScript.ReturnType.VALUE, keys, args));
  }

  /**
   * By SHA; a script Redis does not know (after a restart, a failover or {@code SCRIPT FLUSH}) is
   * loaded and run once more, which is safe: a NOSCRIPT reply means it did not run.
   */
  private static Object eval(
      RScript scripts, LuaScript script, RScript.ReturnType type, List<String> keys, List<?> args) {
    List<Object> keyList = List.copyOf(keys);
    Object[] values = args.toArray();
    return call(
        "script",
        script.toString(),
        () -> {
          try {
            return scripts.evalSha(RScript.Mode.READ_WRITE, script.sha(), type, keyList, values);
          } catch (RedisNoScriptException e) {
            scripts.scriptLoad(script.source());
            return scripts.evalSha(RScript.Mode.READ_WRITE, script.sha(), type, keyList, values);
          }
        });
  }

  /**
   * Like {@link #evalList}, without waiting for the reply: the caller can prepare its next request
   * while Redis runs this one. Two requests in flight may go out on two connections, so Redis may
   * run them in either order: a caller that needs an order must ask the script to check it.
   *
   * @return completes with the reply; or fails with what {@link #evalList} would throw (see {@link
   *     Redis#await})
   */
  public CompletableFuture<List<?>> evalListAsync(
      LuaScript script, List<String> keys, List<?> args) {
    return evalAsync(scripts, script, RScript.ReturnType.LIST, keys, args)
        .thenApply(reply -> (List<?>) reply);
  }

  /**
   * Like {@link #evalPacked}, without waiting for the reply. The reply is read on the thread that
   * receives it (the client's event loop), and so is whatever the caller chains to the future: a
   * caller that acts there on the reply spares a thread hand-off, and must not block.
   *
   * @return completes with the reply read; or fails with what {@link #evalPacked} would throw (see
   *     {@link Redis#await})
   */
  public CompletableFuture<Object> evalPackedAsync(
      LuaScript script, List<String> keys, List<?> args) {
    return evalAsync(packedScripts, script, RScript.ReturnType.VALUE, keys, args)
        .thenApply(reply -> PackedReply.read((byte[]) reply));
  }

  /**
   * {@link #eval} without waiting: by SHA, loading a script Redis does not know and sending again.
   */
  private static CompletableFuture<Object> evalAsync(
      RScript scripts, LuaScript script, RScript.ReturnType type, List<String> keys, List<?> args) {
    List<Object> keyList = List.copyOf(keys);
    Object[] values = args.toArray();
    Supplier<CompletableFuture<Object>> send =
        () ->
            scripts
                .<Object>evalShaAsync(RScript.Mode.READ_WRITE, script.sha(), type, keyList, values)
                .toCompletableFuture();
    return send.get()
        .exceptionallyCompose(
            e ->
                isNoScript(e)
                    ? scripts
                        .scriptLoadAsync(script.source())
                        .toCompletableFuture()
                        .thenCompose(loaded -> send.get())
                    : CompletableFuture.failedFuture(e))
        .handle(
            (reply, error) -> {
              if (error != null) {
                throw translateAsync("script", script.toString(), error);
              }
              return reply;
            });
  }

  /**
   * Runs several scripts in one round trip (pipelined, not atomic together). Only for scripts safe
   * to send again: when Redis lacks one of them (NOSCRIPT), all are loaded and the whole batch is
   * sent once more. On a Redis Cluster the calls of one batch may go to several nodes, and the
   * nodes that held the scripts have run theirs by then: those run twice, and answer the second
   * time as a repeat does (a due task promoted already, say).
   *
   * @return each script's reply, in order
   */
  public List<?> evalBatch(List<ScriptCall> calls) {
    if (calls.isEmpty()) {
      return List.of();
    }
    String subject = calls.get(0).script().toString() + " and " + (calls.size() - 1) + " more";
    return call(
        "script batch",
        subject,
        () -> {
          try {
            return sendBatch(calls);
          } catch (RedisException e) {
            if (!isNoScript(e)) {
              throw e;
            }
            calls.stream().map(ScriptCall::script).distinct().forEach(this::load);
            return sendBatch(calls);
          }
        });
  }

  private List<?> sendBatch(List<ScriptCall> calls) {
    RBatch batch = client.createBatch(BatchOptions.defaults());
    RScriptAsync async = batch.getScript(ScriptCodec.TEXT);
    for (ScriptCall call : calls) {
      // The replies come back from execute(), in order; the futures add nothing.
      var unused =
          async.evalShaAsync(
              RScript.Mode.READ_WRITE,
              call.script().sha(),
              RScript.ReturnType.LIST,
              List.copyOf(call.keys()),
              call.args().toArray());
    }
    return batch.execute().getResponses();
  }

  private String load(LuaScript script) {
    return scripts.scriptLoad(script.source());
  }

  /**
   * Loads those of {@code all} that Redis does not hold (it restarted, failed over, or had {@code
   * SCRIPT FLUSH}): one {@code SCRIPT EXISTS}, then one {@code SCRIPT LOAD} for each missing.
   * Scripts are loaded on first use anyway; this is for a readiness check that says so first. On a
   * Redis Cluster every script is loaded again on every master: the client asks {@code SCRIPT
   * EXISTS} of one master only, which says nothing of the others.
   *
   * @return how many were loaded
   */
  public int loadMissing(List<LuaScript> all) {
    if (cluster.getAsBoolean()) {
      all.forEach(script -> call("SCRIPT LOAD", script.toString(), () -> load(script)));
      return all.size();
    }
    String[] shas = all.stream().map(LuaScript::sha).toArray(String[]::new);
    return call(
        "script exists",
        all.size() + " scripts",
        () -> {
          List<Boolean> held = scripts.scriptExists(shas);
          int missing = 0;
          for (int i = 0; i < all.size(); i++) {
            if (!held.get(i)) {
              load(all.get(i));
              missing++;
            }
          }
          return missing;
        });
  }

  private static boolean isNoScript(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisNoScriptException
          || (t.getMessage() != null && t.getMessage().contains("NOSCRIPT"))) {
        return true;
      }
    }
    return false;
  }
}
