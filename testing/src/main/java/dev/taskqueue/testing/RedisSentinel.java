package dev.taskqueue.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A master {@link RedisServer} watched by one sentinel ({@code redis-server --sentinel}) on a free
 * loopback port, owned by a test: what a client reaches through Sentinel. It is ready once the
 * sentinel names the master, as {@link #MASTER_NAME}. One sentinel with a quorum of one is no
 * failover setup; it is enough to prove a client finds the master through it.
 */
public final class RedisSentinel implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

  private final RedisServer master;
  private final RedisServer sentinel;

  private RedisSentinel(RedisServer master, RedisServer sentinel) {
    this.master = master;
    this.sentinel = sentinel;
  }

  /** A master without a password. */
  public static RedisSentinel start() {
    return watch(RedisServer.startEphemeral(), null);
  }

  /**
   * A master whose default user needs {@code password} ({@code requirepass}, as {@link
   * RedisServer#startWithPassword}); the sentinel itself asks for none.
   */
  public static RedisSentinel startWithPassword(String password) {
    return watch(RedisServer.startWithPassword(password), password);
  }

  private static RedisSentinel watch(RedisServer master, String password) {
    String config =
        "sentinel monitor "
            + MASTER_NAME
            + " 127.0.0.1 "
            + master.port()
            + " 1\n"
            + "sentinel down-after-milliseconds "
            + MASTER_NAME
            + " 2000\n"
            + (password == null ? "" : "sentinel auth-pass " + MASTER_NAME + " " + password + "\n");
    RedisServer sentinel = null;
    try {
      sentinel = RedisServer.startSentinel(config);
      RedisSentinel watched = new RedisSentinel(master, sentinel);
      watched.awaitMaster();
      return watched;
    } catch (RuntimeException e) {
      if (sentinel != null) {
        sentinel.close();
      }
      master.close();
      throw e;
    }
  }

  /** The server the sentinel names as master. */
  public RedisServer master() {
    return master;
  }

  /** The sentinel's port. */
  public int port() {
    return sentinel.port();
  }

  /** The {@code REDIS_URL} that reaches the master through the sentinel, database 0. */
  public String url() {
    return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER_NAME;
  }

  /** The same, as {@code userInfo} (written as given: percent-escape what needs it). */
  public String url(String userInfo) {
    return "redis-sentinel://" + userInfo + "@127.0.0.1:" + sentinel.port() + "#" + MASTER_NAME;
  }

  @Override
  public void close() {
    sentinel.close();
    master.close();
  }

  private void awaitMaster() {
    List<Object> expected = List.of("127.0.0.1", Integer.toString(master.port()));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Object named = null;
    while (!expected.equals(named)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the sentinel on port " + port() + " did not name the master; it said " + named);
      }
      try (Resp resp = Resp.connect(sentinel.port(), Duration.ofSeconds(1))) {
        named = resp.send("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
      } catch (IOException e) {
        named = e.toString();
      }
      RedisServer.sleep(Duration.ofMillis(20));
    }
  }
}
