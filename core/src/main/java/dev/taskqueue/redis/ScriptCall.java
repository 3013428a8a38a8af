package dev.taskqueue.redis;

import java.util.List;

/** One script with its keys and arguments, for {@link RedisScripts#evalBatch}. */
public record ScriptCall(LuaScript script, List<String> keys, List<?> args) {}
