package dev.taskqueue.config;

/**
 * How the text of one setting becomes a value. {@link #parse} throws {@link
 * IllegalArgumentException} whose message, if any, says what exactly was wrong; {@link #expected()}
 * says in a few words what is allowed.
 */
public interface ValueType<T> {
  T parse(String raw);

  String expected();
}
