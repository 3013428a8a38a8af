package dev.taskqueue.producer;

import dev.taskqueue.task.HashJson;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mapper the producer reads and writes JSON with: the process's one, {@link HashJson}'s, which
 * reading a task's limits or attempt records builds anyway. It is made when a command first needs
 * JSON, not when picocli builds a command (which it does for every command to show help or to name
 * a mistyped one): building a mapper costs about 40 ms of a CLI run of half a second.
 */
final class Json {
  private Json() {}

  static JsonMapper mapper() {
    return HashJson.mapper();
  }
}
