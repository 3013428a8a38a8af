package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.ExitCode;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisConnectorTest {
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
}
