package dev.taskqueue.redis;

import java.util.List;
import java.util.Objects;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisNoScriptException;

/**
 * Runs {@link LuaScript}s by SHA ({@code EVALSHA}), loading a script into Redis the first time
 * Redis answers NOSCRIPT: after a restart, a failover or {@code SCRIPT FLUSH}. Arguments are passed
 * in the order of the script's header.
 */
public final class ScriptRunner {
  private final RScript script;

  public ScriptRunner(RedissonClient redis) {
    this.script = Objects.requireNonNull(redis).getScript(ScriptCodec.INSTANCE);
  }

  /** Runs a script whose reply is an integer. */
  public long evalLong(LuaScript lua, List<Object> keys, Object... args) {
    return (Long) eval(lua, RScript.ReturnType.LONG, keys, args);
  }

  /** Runs a script whose reply is an array (possibly of arrays). */
  @SuppressWarnings("unchecked")
  public List<Object> evalList(LuaScript lua, List<Object> keys, Object... args) {
    return (List<Object>) eval(lua, RScript.ReturnType.LIST, keys, args);
  }

  private Object eval(LuaScript lua, RScript.ReturnType type, List<Object> keys, Object... args) {
    try {
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha(), type, keys, args);
    } catch (RedisNoScriptException e) {
      script.scriptLoad(lua.source());
      return script.evalSha(RScript.Mode.READ_WRITE, lua.sha(), type, keys, args);
    }
  }
}
