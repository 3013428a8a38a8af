package dev.taskqueue.task;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one mapper for the JSON that stored hashes hold in a field: a task's limits and its attempt
 * records, a module version's options; the CLIs print their JSON with it too, so that a process
 * builds one. It is built on first use, not when a class that might use it loads: a claimed task
 * seldom has such a field, and each mapper built cost a fresh worker 0.05 to 0.3 s after its first
 * claim, which the tasks it had just claimed waited for.
 */
public final class HashJson {
  private HashJson() {}

  /** The shared mapper; thread-safe, as Jackson's mappers are once built. */
  public static JsonMapper mapper() {
    return Holder.MAPPER;
  }

  private static final class Holder {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }
}
