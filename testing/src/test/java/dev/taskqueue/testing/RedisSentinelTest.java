package dev.taskqueue.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's sentinel names its master, with or without a password on the master. */
class RedisSentinelTest {
  @Test
  void theSentinelNamesItsMaster() throws Exception {
    try (RedisSentinel sentinel = RedisSentinel.start()) {
      assertEquals("redis-sentinel://127.0.0.1:" + sentinel.port() + "#mymaster", sentinel.url());
      try (Resp resp = Resp.connect(sentinel.port())) {
        assertEquals(
            List.of("127.0.0.1", Integer.toString(sentinel.master().port())),
            resp.send("SENTINEL", "get-master-addr-by-name", RedisSentinel.MASTER_NAME));
      }
    }
  }

  @Test
  void itWatchesAMasterThatNeedsAPassword() throws Exception {
    try (RedisSentinel sentinel = RedisSentinel.startWithPassword("x@y:z")) {
      try (Resp resp = Resp.connect(sentinel.port())) {
        Object master = resp.send("SENTINEL", "master", RedisSentinel.MASTER_NAME);
        assertTrue(String.valueOf(master).contains("master"), String.valueOf(master));
      }
      assertEquals(
          "redis-sentinel://:p@127.0.0.1:" + sentinel.port() + "#mymaster", sentinel.url(":p"));
    }
  }
}
