package dev.taskqueue.producer;

import tools.jackson.databind.json.JsonMapper;

/**
 * The producer's one JSON mapper, made when a command first reads or writes JSON. Every command's
 * class is loaded and set up at each start (picocli builds them all to parse the command line), so
 * a mapper in each of their static fields made every command, JSON or not, pay for starting
 * Jackson: about 40 ms of a CLI run of half a second.
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
