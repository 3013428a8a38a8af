package dev.taskqueue.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.redis.RedisConnector;
import dev.taskqueue.testing.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No password reaches the log, at any level and in either format: not from our lines, not from
 * Redisson tracing its connection set-up (AUTH), not from an exception's stack trace.
 */
class CredentialsInLogsTest {
  private static final String SECRET = "Zq7-s3cret@pw:x";
  private static final String SECRET_IN_URL = "Zq7-s3cret%40pw%3Ax";
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsInLogsTest.class);

  private static RedisServer server;
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeAll
  static void startServer() {
    server = RedisServer.startWithPassword(SECRET);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    Logging.configure("warn", "pretty", Logging.Target.STDERR);
  }

  @Test
  void redissonTracingTheRightPasswordShowsNone() {
    for (String format : new String[] {"pretty", "json"}) {
      String log =
          logged(
              format,
              () -> {
                RedissonClient client =
                    RedisConnector.connect(
                        RedisUrl.parse(server.url("default:" + SECRET_IN_URL)),
                        "test",
                        2,
                        Duration.ofSeconds(5));
                assertTrue(LoggerFactory.getLogger("org.redisson").isTraceEnabled());
                client.getBucket("k").set("v");
                client.shutdown();
              });

      // Redisson at its most verbose: each command it sends, logged (at DEBUG in this version).
      assertTrue(log.contains("for command: (SET)"), "it logged its commands:\n" + log);
      assertNoSecretIn(log);
    }
  }

  @Test
  void aWrongPasswordLoggedWithItsStackTraceShowsNone() {
    String log =
        logged(
            "pretty",
            () -> {
              RedisUnavailableException error =
                  assertThrows(
                      RedisUnavailableException.class,
                      () ->
                          RedisConnector.connect(
                              RedisUrl.parse(server.url("admin:" + SECRET_IN_URL)),
                              "test",
                              2,
                              Duration.ofSeconds(5)));
              LOG.error("could not connect", error);
            });

    assertTrue(log.contains("WRONGPASS"), log);
    assertNoSecretIn(log);
  }

  @Test
  void aUrlWithAPasswordInAnyLineIsMasked() {
    for (String format : new String[] {"pretty", "json"}) {
      String log =
          logged(
              format,
              () ->
                  LOG.atInfo()
                      .addKeyValue("url", "redis://admin:" + SECRET_IN_URL + "@h:1/0")
                      .log("using redis://admin:" + SECRET + "@h:1/0"));

      assertTrue(log.contains("redis://admin:***@h:1/0"), log);
      assertNoSecretIn(log);
    }
  }

  @Test
  void redissonsWireLoggersStayAboveTraceWhateverTheLevel() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (String level : new String[] {"trace", "debug", "info"}) {
      Logging.configure(level, "pretty", Logging.Target.STDERR);

      Level wire = context.getLogger(Logging.REDIS_WIRE).getEffectiveLevel();
      assertTrue(wire.isGreaterOrEqual(Level.DEBUG), level + ": " + wire);
      if (level.equals("trace")) {
        assertEquals(Level.TRACE, context.getLogger("org.redisson.connection").getEffectiveLevel());
      }
    }
  }

  private String logged(String format, Runnable action) {
    captured.reset();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Logging.configure("trace", format, Logging.Target.STDERR);
    try {
      action.run();
    } finally {
      Logging.configure("warn", "pretty", Logging.Target.STDERR);
      System.setErr(originalErr);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static void assertNoSecretIn(String text) {
    for (String form : new String[] {"Zq7", SECRET, SECRET_IN_URL}) {
      assertFalse(text.contains(form), "'" + form + "' in:\n" + text);
    }
  }
}
