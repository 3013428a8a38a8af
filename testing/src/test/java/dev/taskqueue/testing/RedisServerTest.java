package dev.taskqueue.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The harness's server is its own, whatever else runs on the machine. */
class RedisServerTest {
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
