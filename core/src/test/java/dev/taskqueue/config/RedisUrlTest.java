package dev.taskqueue.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskqueue.config.RedisUrl.Node;
import dev.taskqueue.config.RedisUrl.Topology;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedisUrlTest {
  @Test
  void readsEveryPart() {
    RedisUrl url = RedisUrl.parse("rediss://app:s%40cret@cache.example:6380/3");

    assertEquals(
        new RedisUrl(true, "cache.example", 6380, 3, Optional.of("app"), Optional.of("s@cret")),
        url);
    assertEquals("rediss://cache.example:6380", url.address());
    assertEquals("rediss://app:***@cache.example:6380/3", url.toString(), "no password shown");
  }

  @Test
  void fillsInDefaults() {
    assertEquals(
        new RedisUrl(false, "localhost", 6379, 0, Optional.empty(), Optional.empty()),
        RedisUrl.parse("redis://localhost"));
    assertEquals(
        Optional.of("pw"), RedisUrl.parse("redis://:pw@localhost/1").password(), "password only");
  }

  @Test
  void aPasswordMayHoldRawAtSignsColonsSlashesAndPlusSigns() {
    RedisUrl url = RedisUrl.parse("redis://admin:p@ss:w/o+rd@host:6380/2");

    assertEquals(
        new RedisUrl(false, "host", 6380, 2, Optional.of("admin"), Optional.of("p@ss:w/o+rd")),
        url);
    assertEquals("redis://admin:***@host:6380/2", url.toString());
  }

  @Test
  void aUserAloneIsAUser() {
    RedisUrl url = RedisUrl.parse("redis://admin@host");

    assertEquals(Optional.of("admin"), url.username());
    assertEquals(Optional.empty(), url.password());
    assertEquals("redis://admin@host:6379/0", url.toString());
  }

  @Test
  void noErrorQuotesThePassword() {
    String[] bad = {
      "redis://admin:Zq7%zz@host",
      "redis://admin:Zq7secret@host:99999/0",
      "redis://admin:Zq7secret@host/x",
      "redis://admin:Zq7 secret@ho st",
      "http://admin:Zq7secret@host",
      "admin:Zq7secret@host",
    };
    for (String raw : bad) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(raw), raw);
      assertEquals(false, String.valueOf(error.getMessage()).contains("Zq7"), error.getMessage());
      assertEquals(null, error.getCause(), raw);
    }
  }

  @Test
  void rejectsWhatIsNotARedisUrl() {
    assertEquals(
        "the scheme must be redis, rediss, redis-cluster, rediss-cluster, redis-sentinel or"
            + " rediss-sentinel",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("http://x"))
            .getMessage());
    assertEquals(
        "the host is missing",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://:6379/0"))
            .getMessage());
    assertEquals(
        "the database 'x' is not a number >= 0",
        assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse("redis://h/x"))
            .getMessage());
  }

  @Test
  void aClusterIsAnyOfItsNodes() {
    RedisUrl url = RedisUrl.parse("redis-cluster://app:s%40cret@10.0.0.1:7000, node-2 ,[::1]:7002");

    assertEquals(
        new RedisUrl(
            Topology.CLUSTER,
            false,
            List.of(new Node("10.0.0.1", 7000), new Node("node-2", 6379), new Node("[::1]", 7002)),
            0,
            Optional.empty(),
            Optional.of("app"),
            Optional.of("s@cret")),
        url);
    assertEquals(
        List.of("redis://10.0.0.1:7000", "redis://node-2:6379", "redis://[::1]:7002"),
        url.addresses());
    assertEquals(
        "redis-cluster://app:***@10.0.0.1:7000,node-2:6379,[::1]:7002",
        url.toString(),
        "no password, no database");
  }

  @Test
  void aClusterOverTlsMayNameDatabaseZero() {
    RedisUrl url = RedisUrl.parse("rediss-cluster://h:7000/0");

    assertEquals(Topology.CLUSTER, url.topology());
    assertEquals(true, url.tls());
    assertEquals(List.of("rediss://h:7000"), url.addresses());
    assertEquals("rediss-cluster://h:7000", url.toString());
  }

  @Test
  void sentinelsNameTheMasterAfterTheHash() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://:pw@s1,s2:26380/2#mymaster");

    assertEquals(
        new RedisUrl(
            Topology.SENTINEL,
            false,
            List.of(new Node("s1", 26379), new Node("s2", 26380)),
            2,
            Optional.of("mymaster"),
            Optional.empty(),
            Optional.of("pw")),
        url);
    assertEquals(List.of("redis://s1:26379", "redis://s2:26380"), url.addresses());
    assertEquals("redis-sentinel://:***@s1:26379,s2:26380/2#mymaster", url.toString());
    assertEquals(
        "rediss-sentinel://admin@s1:26379/0#m",
        RedisUrl.parse("rediss-sentinel://admin@s1#m").toString());
  }

  @Test
  void aPasswordMayHoldTheCharactersThatSeparateNodesAndTheMaster() {
    RedisUrl url = RedisUrl.parse("redis-sentinel://u:p#w,o/r:d@s1:1,s2:2#m");

    assertEquals(Optional.of("p#w,o/r:d"), url.password());
    assertEquals(List.of(new Node("s1", 1), new Node("s2", 2)), url.nodes());
    assertEquals("redis-sentinel://u:***@s1:1,s2:2/0#m", url.toString());
  }

  @Test
  void refusesWhatTheNewFormsCannotMean() {
    String[][] cases = {
      {"redis-cluster://h:7000/3", "a cluster has database 0 only: remove '/3'"},
      {
        "redis-cluster://h:7000#m",
        "a cluster has no master name: remove '#m' (redis-sentinel://" + " names one)"
      },
      {
        "redis-sentinel://h:26379",
        "the master name is missing: write"
            + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master"
      },
      {
        "redis-sentinel://h/1#",
        "the master name is missing: write"
            + " redis-sentinel://[user:password@]host[:port][,host[:port]...][/db]#master"
      },
      {"redis-sentinel://h#my master", "the master name 'my master' has a blank in it"},
      {"redis-cluster://h1,,h3", "the host is missing"},
      {"redis-cluster://:7000", "the host is missing"},
      {"redis-cluster://h 1:7000", "'h 1' is not a host name or IP address"},
      {"redis-cluster://h:70x", "the port '70x' of h is not a number"},
      {"redis-cluster://h:70000", "port 70000 is outside 1-65535"},
      {"redis-sentinel://h/x#m", "the database 'x' is not a number >= 0"},
      {
        "redis://h1:1,h2:2",
        "redis:// names one server: for several, use redis-cluster:// or" + " redis-sentinel://"
      },
      {
        "redis://h:26379#mymaster",
        "only redis-sentinel:// names a master after '#': for one" + " server, remove '#mymaster'"
      },
      {
        "REDIS-CLUSTER://h",
        "the scheme must be redis, rediss, redis-cluster, rediss-cluster,"
            + " redis-sentinel or rediss-sentinel"
      },
    };
    for (String[] c : cases) {
      assertEquals(
          c[1],
          assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(c[0]), c[0])
              .getMessage(),
          c[0]);
    }
  }

  @Test
  void noErrorOfTheNewFormsQuotesThePassword() {
    String[] bad = {
      "redis-cluster://admin:Zq7secret@h:7000/3",
      "redis-cluster://admin:Zq7secret@h1,,h2",
      "redis-sentinel://admin:Zq7secret@h",
      "redis-sentinel://admin:Zq7#secret@h#",
      "rediss-cluster://admin:Zq7%zz@h",
    };
    for (String raw : bad) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(raw), raw);
      assertEquals(false, String.valueOf(error.getMessage()).contains("Zq7"), error.getMessage());
    }
  }
}
