package dev.taskqueue.producer;

import tools.jackson.databind.json.JsonMapper;

/**
 * The producer's one JSON mapper, made when a command first reads or writes JSON. A mapper in a
 * command class's static field is made whenever picocli builds that command, which it does for
 * every command to show help or to name a mistyped one, and did at every start: each command, JSON
 * or not, paid for starting Jackson, about 40 ms of a CLI run of half a second.
 */
final class Json {
  private Json() {}

  static JsonMapper mapper() {
    return Holder.MAPPER;
  }

  private static final class Holder {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
  }
}
