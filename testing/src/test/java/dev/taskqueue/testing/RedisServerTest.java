package dev.taskqueue.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The harness's server is its own, whatever else runs on the machine, and set up as the
 * deployments' Redis.
 */
class RedisServerTest {
  @Test
  void itHoldsHashesAsTheDeploymentsRedisDoes() throws Exception {
    try (RedisServer server = RedisServer.startEphemeral();
        Resp redis = Resp.connect(server.port())) {
      String setting = RedisServer.DEPLOYED_SETTINGS.get(0).substring(2);

      assertEquals(
          List.of(setting, RedisServer.DEPLOYED_SETTINGS.get(1)),
          redis.send("CONFIG", "GET", setting));
    }
  }

  @Test
  void aPortTakenBeforeRedisBindsItIsReplaced() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RedisServer server = new RedisServer(false, null, taken.getLocalPort())) {
      server.start();

      assertNotEquals(taken.getLocalPort(), server.port());
      assertTrue(server.isRunning());
    }
  }

  @Test
  void anotherRedisOnThePortIsNotTakenForThisOne() {
    try (RedisServer other = RedisServer.startEphemeral();
        RedisServer server = new RedisServer(false, null, other.port())) {
      server.start();

      assertNotEquals(other.port(), server.port());
      assertTrue(server.isRunning());
    }
  }

  @Test
  void aPasswordServerAnswersAsItself() {
    try (RedisServer other = RedisServer.startWithPassword("x@y:z");
        RedisServer server = new RedisServer(false, "x@y:z", other.port())) {
      server.start();

      assertNotEquals(other.port(), server.port());
      assertTrue(server.isRunning());
    }
  }
}
