package dev.taskqueue.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's cluster serves every slot, and leaves nothing listening once closed. */
class RedisClusterTest {
  @Test
  void threeMastersServeEverySlotAndAreGoneOnceClosed() throws Exception {
    List<Integer> ports;
    try (RedisCluster cluster = RedisCluster.start()) {
      ports = cluster.ports();
      assertEquals(3, ports.size());
      assertEquals(
          "redis-cluster://127.0.0.1:"
              + ports.get(0)
              + ",127.0.0.1:"
              + ports.get(1)
              + ",127.0.0.1:"
              + ports.get(2),
          cluster.url());
      for (int port : ports) {
        try (Resp resp = Resp.connect(port)) {
          String info = String.valueOf(resp.send("CLUSTER", "INFO"));
          assertTrue(info.contains("cluster_slots_assigned:16384"), info);
          assertTrue(info.contains("cluster_known_nodes:3"), info);
        }
      }
    }
    for (int port : ports) {
      assertFalse(answers(port), "port " + port + " still answers");
    }
  }

  private static boolean answers(int port) {
    try (Resp resp = Resp.connect(port, Duration.ofSeconds(1))) {
      return "PONG".equals(resp.send("PING"));
    } catch (IOException e) {
      return false;
    }
  }
}
