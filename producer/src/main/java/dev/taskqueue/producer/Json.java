package dev.taskqueue.producer;

import dev.taskqueue.task.HashJson;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mapper the producer reads and writes JSON with: the process's one, {@link HashJson}'s, which
 * reading a task's limits or attempt records builds anyway. It is made when a command first needs
 * JSON, not when picocli builds a command (which it does for every command to show help or to name
 * a mistyped one): building a mapper costs about 40 ms of a CLI run of half a second. What reads
 * JSON token by token (a batch file's lines) takes a parser of its own instead ({@link #parser}).
 */
final class Json {
  private Json() {}

  static JsonMapper mapper() {
    return HashJson.mapper();
  }

  /**
   * A parser of {@code text}, read token by token: what reading a batch file's lines needs, without
   * the mapper. Building the mapper loads Jackson's data binding, which reading a batch of 50,000
   * lines spent 0.2 s of its 1.7 s on, on a slow host.
   */
  static JsonParser parser(String text) {
    return Tokens.FACTORY.createParser(ObjectReadContext.empty(), text);
  }

  /** Made when a line is first read: a holder, as the mapper's is. */
  private static final class Tokens {
    static final JsonFactory FACTORY = new JsonFactory();
  }
}
