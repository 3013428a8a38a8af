package dev.taskqueue.testing;

/**
 * What a test gets from {@link RedisExtension}: the server to talk to and a key prefix no other
 * test uses.
 *
 * @param server the run-wide server; tests must not stop it (start their own {@link RedisServer}
 *     for that)
 * @param prefix a fresh key prefix, e.g. {@code t3f9c0a1b2c4d}
 */
public record TestRedis(RedisServer server, String prefix) {
  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }
}
