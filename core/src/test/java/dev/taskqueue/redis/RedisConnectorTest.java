package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import io.netty.channel.epoll.Epoll;
import io.netty.util.HashedWheelTimer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.TransportMode;

class RedisConnectorTest {
  /** A password with the characters that break naive URL handling: '@', ':' and a '%' escape. */
  private static final String SECRET = "Zq7-s3cret@pw:x";

  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";

  /**
   * On Linux (x86-64 and ARM, what the jars carry the native library for) the client talks to Redis
   * through Netty's native epoll transport, which a round trip costs less in; elsewhere, Java's.
   */
  @Test
  void onLinuxTheClientUsesTheNativeTransport() {
    String arch = System.getProperty("os.arch");
    boolean nativeExpected =
        System.getProperty("os.name").equals("Linux")
            && (arch.equals("amd64") || arch.equals("aarch64"));
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedissonClient client =
          RedisConnector.connect(RedisUrl.parse(server.url()), "test", 2, Duration.ofSeconds(2));
      try {
        assertEquals(
            nativeExpected ? TransportMode.EPOLL : TransportMode.NIO,
            client.getConfig().getTransportMode(),
            () -> "native transport unavailable: " + Epoll.unavailabilityCause());
        Redis redis = new Redis(client);
        redis.hset("transport", "works", "yes");
        assertEquals(Optional.of("yes"), redis.hget("transport", "works"));
      } finally {
        client.shutdown();
      }
    }
  }

  /**
   * The client's timer, which fails commands that go unanswered, ticks every 100 ms: with
   * Redisson's default retry delay it ticked every 10 to 49 ms (the tick is derived from it), and
   * each tick wakes a thread of every process, busy or idle.
   */
  @Test
  void theClientsTimerTicksEveryTenthOfASecond() throws ReflectiveOperationException {
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedissonClient client =
          RedisConnector.connect(RedisUrl.parse(server.url()), "test", 2, Duration.ofSeconds(5));
      try {
        HashedWheelTimer timer = ((Redisson) client).getServiceManager().getTimer();
        Field tick = HashedWheelTimer.class.getDeclaredField("tickDuration");
        tick.setAccessible(true);
        assertEquals(Duration.ofMillis(100).toNanos(), tick.getLong(timer));
      } finally {
        client.shutdown();
      }
    }
  }

  /**
   * A Redis that accepts connections but does not answer yet (here paused; also loading or failing
   * over) is waited for as long as the caller allows, rather than failing the start: a producer
   * started during a pause once exited 3. Without the wait, it fails with the timeout named.
   */
  @Test
  void aRedisThatDoesNotAnswerYetIsWaitedForAsLongAsAllowed() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedisUrl url = RedisUrl.parse(server.url());
      pause(server, Duration.ofSeconds(2));
      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> RedisConnector.connect(url, "test", 2, Duration.ofMillis(300)));
      assertTrue(error.getMessage().contains("timeout"), error.getMessage());

      pause(server, Duration.ofSeconds(2));
      long start = System.nanoTime();
      RedissonClient client =
          RedisConnector.connect(
              url, "test", 2, Duration.ofMillis(300), Duration.ofSeconds(30), Optional.empty());
      try {
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(1500).toNanos(), "it waited");
        new Redis(client).hset("after", "the", "pause");
      } finally {
        client.shutdown();
      }
    }
  }

  private static void pause(RedisServer server, Duration pause) throws Exception {
    try (Resp resp = Resp.connect(server.port())) {
      assertEquals("OK", resp.send("CLIENT", "PAUSE", Long.toString(pause.toMillis()), "ALL"));
    }
  }

  @Test
  void aRedisThatIsNotRunningStopsStartUpWithOneClearLine() {
    int port = RedisServer.unusedPort();
    RedisUrl url = RedisUrl.parse("redis://127.0.0.1:" + port + "/0");

    RedisUnavailableException error =
        assertThrows(
            RedisUnavailableException.class,
            () -> RedisConnector.connect(url, "test", 2, Duration.ofSeconds(1)));

    assertEquals(ExitCode.UNAVAILABLE, error.exitCode());
    assertTrue(
        error.getMessage().startsWith("cannot connect to Redis at redis://127.0.0.1:" + port),
        error.getMessage());
    assertTrue(
        error.getMessage().endsWith("start redis-server there, or set REDIS_URL to where it runs"),
        error.getMessage());
    assertTrue(!error.getMessage().contains("\n"));
  }

  @Test
  void aWrongPasswordIsOneLineThatSaysSoAndShowsNoPassword() {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      RedisUrl url = RedisUrl.parse(server.url("admin:Wr0ng-" + SECRET_IN_URL));

      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> RedisConnector.connect(url, "test", 2, Duration.ofSeconds(1)));

      assertEquals(ExitCode.UNAVAILABLE, error.exitCode());
      assertEquals(
          "cannot connect to Redis at redis://admin:***@127.0.0.1:"
              + server.port()
              + "/0 (WRONGPASS invalid username-password pair or user is disabled.): check the"
              + " user name and password in REDIS_URL",
          error.getMessage());
      assertNoSecretIn(trace(error));
    }
  }

  @Test
  void aMissingPasswordIsOneLineThatSaysSo() {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      RedisUrl url = RedisUrl.parse(server.url());

      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> RedisConnector.connect(url, "test", 2, Duration.ofSeconds(1)));

      assertTrue(
          error.getMessage().endsWith("check the user name and password in REDIS_URL"),
          error.getMessage());
      assertEquals(1, error.getMessage().lines().count(), error.getMessage());
    }
  }

  @Test
  void theRightPasswordConnects() {
    try (RedisServer server = RedisServer.startWithPassword(SECRET)) {
      RedissonClient client =
          RedisConnector.connect(
              RedisUrl.parse(server.url(":" + SECRET_IN_URL)), "test", 2, Duration.ofSeconds(1));
      try {
        client.getBucket("k").set("v");
        assertEquals("v", client.getBucket("k").get());
      } finally {
        client.shutdown();
      }
    }
  }

  private static String trace(Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    return trace.toString();
  }

  private static void assertNoSecretIn(String text) {
    for (String form : new String[] {"Zq7", SECRET, SECRET_IN_URL}) {
      assertFalse(text.contains(form), "'" + form + "' in:\n" + text);
    }
  }
}
