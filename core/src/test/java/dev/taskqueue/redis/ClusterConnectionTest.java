package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.testing.RedisCluster;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.Resp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/**
 * The client on a Redis Cluster of three masters: every key of one queue shares a hash tag, so each
 * script runs on the one node that serves its slot, and queues spread over the nodes.
 */
class ClusterConnectionTest {
  private static RedisCluster cluster;
  private static RedissonClient client;
  private static Redis redis;

  private final Keys keys = new Keys("t" + UUID.randomUUID().toString().substring(0, 8));

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
    client = connect(cluster.url());
    redis = new Redis(client);
  }

  @AfterAll
  static void stopCluster() {
    client.shutdown();
    cluster.close();
  }

  /** What a process checks at start (EvictionPolicy) is read from every master, by its address. */
  @Test
  void aSettingIsReadFromEveryMaster() {
    Map<String, String> policies = redis.configOfMasters("maxmemory-policy");
    assertEquals(3, policies.size(), policies.toString());
    assertEquals(Set.of("noeviction"), Set.copyOf(policies.values()));
  }

  @Test
  void eachQueuesScriptRunsOnTheNodeOfItsSlotAndIsLoadedThereOnFirstUse() throws IOException {
    List<String> queues = queuesOnEveryNode();
    flushScripts();

    Set<Integer> owners = new HashSet<>();
    for (String queue : queues) {
      String id = "task-" + queue;
      seedDue(queue, id);

      assertEquals(
          1, redis.scripts().evalLong(LuaScript.PROMOTE_DUE, promoteKeys(queue, id), args(id)));

      assertEquals(List.of(id), redis.lrange(keys.pending(queue), 0, -1));
      assertEquals("pending", redis.hget(keys.task(queue, id), "stage").orElseThrow());
      owners.add(owner(keys.pending(queue)));
    }
    assertEquals(3, owners.size(), "the queues are on three nodes: " + owners);
  }

  @Test
  void aBatchOfScriptsOverSeveralNodesAnswersInOrder() {
    List<ScriptCall> calls = promotions(queuesOnEveryNode());
    redis.scripts().loadMissing(List.of(LuaScript.PROMOTE_DUE));

    assertEquals(List.of(1L, 0L, 1L, 0L, 1L, 0L), redis.scripts().evalBatch(calls));
  }

  /**
   * Nodes that lack the script (restarted, say) refuse their calls, and the whole batch is sent
   * again once it is loaded: the calls of a node that held it run twice, and the second run answers
   * as a repeat does. Every task is promoted once all the same: the scripts a batch sends are safe
   * to send again.
   */
  @Test
  void aBatchSomeOfWhoseNodesLackTheScriptIsSentAgainAndPromotesEachTaskOnce() throws IOException {
    List<String> queues = queuesOnEveryNode();
    List<ScriptCall> calls = promotions(queues);
    flushScripts();
    try (Resp resp = Resp.connect(owner(keys.scheduled(queues.get(0))))) {
      assertEquals(
          LuaScript.PROMOTE_DUE.sha(), resp.send("SCRIPT", "LOAD", LuaScript.PROMOTE_DUE.source()));
    }

    List<?> replies = redis.scripts().evalBatch(calls);

    // A due task's promotion answers 1, or 0 where its node ran it in the first send too.
    assertEquals(6, replies.size(), replies.toString());
    for (int i = 0; i < 6; i += 2) {
      assertTrue(List.of(0L, 1L).contains(replies.get(i)), replies.toString());
      assertEquals(0L, replies.get(i + 1), replies.toString());
    }
    for (String queue : queues) {
      assertEquals(List.of("due"), redis.lrange(keys.pending(queue), 0, -1), queue);
    }
  }

  /** Per queue of {@code queues}: the promotion of a due task, then of one that is not there. */
  private List<ScriptCall> promotions(List<String> queues) {
    List<ScriptCall> calls = new ArrayList<>();
    for (String queue : queues) {
      seedDue(queue, "due");
      calls.add(new ScriptCall(LuaScript.PROMOTE_DUE, promoteKeys(queue, "due"), args("due")));
      calls.add(
          new ScriptCall(LuaScript.PROMOTE_DUE, promoteKeys(queue, "unknown"), args("unknown")));
    }
    return calls;
  }

  @Test
  void oneSeedThatAnswersIsEnough() {
    int down = RedisServer.unusedPort();
    RedissonClient viaOne =
        connect("redis-cluster://127.0.0.1:" + down + ",127.0.0.1:" + cluster.ports().get(2));
    try {
      Redis other = new Redis(viaOne);
      for (String queue : queuesOnEveryNode()) {
        other.hset(keys.stats(queue), "seen", "yes");
        assertEquals("yes", redis.hget(keys.stats(queue), "seen").orElseThrow());
      }
    } finally {
      viaOne.shutdown();
    }
  }

  @Test
  void whenNoSeedAnswersStartUpStopsWithOneLineNamingEach() {
    int first = RedisServer.unusedPort();
    int second = RedisServer.unusedPort();
    String url = "redis-cluster://127.0.0.1:" + first + ",127.0.0.1:" + second;

    RedisUnavailableException error =
        assertThrows(RedisUnavailableException.class, () -> connect(url));

    assertTrue(
        error
            .getMessage()
            .startsWith(
                "cannot connect to Redis at "
                    + url
                    + " (127.0.0.1:"
                    + first
                    + ": Connection refused; 127.0.0.1:"
                    + second
                    + ": Connection refused)"),
        error.getMessage());
    assertTrue(
        error.getMessage().endsWith("start redis-server there, or set REDIS_URL to where it runs"),
        error.getMessage());
  }

  @Test
  void aServerWithoutClusterModeIsNamedAsSuch() {
    try (RedisServer server = RedisServer.startEphemeral()) {
      RedisUnavailableException error =
          assertThrows(
              RedisUnavailableException.class,
              () -> connect("redis-cluster://127.0.0.1:" + server.port()));

      assertTrue(
          error
              .getMessage()
              .endsWith(
                  "(ERR This instance has cluster support disabled): that Redis is not a cluster"
                      + " node: use redis:// or redis-sentinel:// for it"),
          error.getMessage());
    }
  }

  /** The readiness check's load: every master holds every script after it. */
  @Test
  void loadingWhatIsMissingLoadsEveryScriptOnEveryMaster() throws IOException {
    flushScripts();

    redis.scripts().loadMissing(LuaScript.ALL);

    for (int port : cluster.ports()) {
      try (Resp resp = Resp.connect(port)) {
        assertEquals(List.of(1L), resp.send("SCRIPT", "EXISTS", LuaScript.CLAIM.sha()), ":" + port);
      }
    }
  }

  /** A command over two slots is a bug of ours, not Redis being away. */
  @Test
  void keysOfTwoSlotsInOneCommandAreABug() {
    List<String> queues = queuesOnEveryNode();

    CompletionException e =
        assertThrows(
            CompletionException.class,
            () ->
                redis
                    .sortedSets()
                    .popAnyAsync(
                        List.of(keys.marker(queues.get(0)), keys.marker(queues.get(1))),
                        Duration.ofSeconds(1))
                    .join());

    assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
    assertTrue(e.getCause().getMessage().contains("CROSSSLOT"), e.getCause().getMessage());
  }

  /**
   * redis:// naming one node of a cluster: the first key of another node's slots says what to do.
   */
  @Test
  void aClusterNodeNamedAsOneServerIsToldToBeNamedAsACluster() {
    List<String> queues = queuesOnEveryNode();
    RedissonClient single = connect("redis://127.0.0.1:" + cluster.ports().get(0));
    try {
      Redis one = new Redis(single);

      RedisUnavailableException e =
          assertThrows(
              RedisUnavailableException.class,
              () -> queues.forEach(queue -> one.llen(keys.pending(queue))));

      assertTrue(
          e.getMessage().endsWith("name its nodes in REDIS_URL as redis-cluster://host:port,..."),
          e.getMessage());
    } finally {
      single.shutdown();
    }
  }

  private static RedissonClient connect(String url) {
    return RedisConnector.connect(RedisUrl.parse(url), "test", 4, Duration.ofSeconds(5));
  }

  /**
   * Three queues whose hash tags fall in different thirds of the slots: one on each node, as {@code
   * redis-cli --cluster create} shares the slots out.
   */
  private List<String> queuesOnEveryNode() {
    List<String> queues = new ArrayList<>();
    for (int i = 0; queues.size() < 3; i++) {
      String queue = "q" + i;
      int slot = client.getKeys().getSlot(keys.pending(queue));
      if (slot * 3 / 16384 == queues.size()) {
        queues.add(queue);
      }
    }
    return queues;
  }

  private void seedDue(String queue, String id) {
    redis.sortedSets().zadd(keys.scheduled(queue), 5, id);
    redis.hset(keys.task(queue, id), "stage", "scheduled");
  }

  private List<String> promoteKeys(String queue, String id) {
    return List.of(
        keys.scheduled(queue), keys.pending(queue), keys.marker(queue), keys.task(queue, id));
  }

  private static List<Object> args(String id) {
    return List.of(10, id);
  }

  /** The port of the node holding {@code key}: the one that counts keys in its slot. */
  private static int owner(String key) throws IOException {
    int slot = client.getKeys().getSlot(key);
    int owner = 0;
    for (int port : cluster.ports()) {
      try (Resp resp = Resp.connect(port)) {
        Object count = resp.send("CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot));
        if (count instanceof Long n && n > 0) {
          assertEquals(0, owner, "two nodes hold slot " + slot);
          owner = port;
        }
      }
    }
    return owner;
  }

  /** As after a restart or a failover: no node knows any script. */
  private static void flushScripts() throws IOException {
    for (int port : cluster.ports()) {
      try (Resp resp = Resp.connect(port)) {
        assertEquals("OK", resp.send("SCRIPT", "FLUSH"));
      }
    }
  }
}
