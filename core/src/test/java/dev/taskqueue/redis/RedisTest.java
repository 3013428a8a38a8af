package dev.taskqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskqueue.config.RedisUrl;
import dev.taskqueue.error.RedisUnavailableException;
import dev.taskqueue.support.LeaseFixture;
import dev.taskqueue.testing.Checkout;
import dev.taskqueue.testing.RedisExtension;
import dev.taskqueue.testing.RedisServer;
import dev.taskqueue.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Redis}: the one door to Redis, and the scripts it runs. */
@ExtendWith(RedisExtension.class)
class RedisTest {

  @Test
  void reloadsScriptsAfterRedisForgetsThem(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    f.client.getScript().scriptFlush();

    assertEquals(1, f.claim("default", "w1", 1).size());
    assertTrue(
        f.client.getScript().scriptExists(LuaScript.CLAIM.sha()).get(0),
        "claim.lua is loaded again");
  }

  @Test
  void reloadsAScriptSentWithoutWaitingAfterRedisForgetsIt(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    f.enqueuer.enqueue(f.tasks.greeter("{}"));

    f.client.getScript().scriptFlush();

    var task = f.tasks.greeter("{}");
    assertEquals(
        1,
        Redis.await(f.enqueuer.enqueueAllAsync("default", List.of(task), Optional.empty()))
            .created());
    assertTrue(f.client.getScript().scriptExists(LuaScript.ENQUEUE.sha()).get(0));
  }

  @Test
  void membersAndHeadsReadsASetAndTheFrontOfEachSortedSetInOneGo(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    Redis r = f.session.redis();
    String set = redis.prefix() + ":set";
    String a = redis.prefix() + ":a";
    String b = redis.prefix() + ":b";
    r.sadd(set, "x");
    r.sadd(set, "y");
    for (int score = 1; score <= 5; score++) {
      r.sortedSets().zadd(a, 10L * score, "m" + score);
    }

    MembersAndHeads read = r.sortedSets().membersAndHeads(set, List.of(a, b), 30, 2);

    assertEquals(Set.of("x", "y"), read.members());
    assertEquals(
        new ScoredHead(Map.of("m1", 10L, "m2", 20L), Optional.of(40L)),
        read.head(a).orElseThrow(),
        "at most two of those up to 30, then the lowest score past 30 (not 30 itself)");
    assertEquals(
        List.of("m1", "m2"), List.copyOf(read.head(a).orElseThrow().upTo().keySet()), "in order");
    assertEquals(
        new ScoredHead(Map.of(), Optional.empty()),
        read.head(b).orElseThrow(),
        "a set that does not exist");
    assertEquals(Optional.empty(), read.head(set), "not asked for");
  }

  /** Issue 12: no driver exception gets past the door; a Redis that is gone is unavailable. */
  @Test
  void aRedisThatStopsAnsweringIsUnavailableNotADriverError() {
    try (RedisServer server = RedisServer.startEphemeral()) {
      Redis redis =
          new Redis(
              RedisConnector.connect(
                  RedisUrl.parse(server.url()), "test", 2, Duration.ofMillis(500)));
      try {
        server.kill();

        RedisUnavailableException error =
            assertThrows(RedisUnavailableException.class, () -> redis.hgetall("k"));

        assertTrue(error.getMessage().startsWith("Redis stopped answering ("), error.getMessage());
        assertTrue(
            error.getMessage().endsWith(": check that it runs and that REDIS_URL points to it"),
            error.getMessage());
      } finally {
        redis.close();
      }
    }
  }

  @Test
  void anErrorReplyIsABugNamingTheCommandNotUnavailability(TestRedis redis) {
    LeaseFixture f = new LeaseFixture(redis);
    f.client.getBucket(f.keys.pending("default")).set("not a list");

    IllegalStateException error =
        assertThrows(
            IllegalStateException.class,
            () -> f.session.redis().lrange(f.keys.pending("default"), 0, -1));

    assertTrue(
        error
            .getMessage()
            .startsWith("Redis refused LRANGE " + f.keys.pending("default") + ": WRONGTYPE"),
        error.getMessage());
    // The same from a script sent without waiting, once awaited.
    IllegalStateException async =
        assertThrows(
            IllegalStateException.class,
            () ->
                Redis.await(
                    f.enqueuer.enqueueAllAsync(
                        "default", List.of(f.tasks.greeter("{}")), Optional.empty())));
    assertTrue(
        async.getMessage().startsWith("Redis refused script " + LuaScript.ENQUEUE + ": "),
        async.getMessage());
  }

  /** What a callback of an async request is handed, as its synchronous twin would throw it. */
  @Test
  void aFailureIsWhatTheSynchronousTwinWouldThrow() {
    RedisUnavailableException gone = new RedisUnavailableException("gone", new RuntimeException());
    assertSame(gone, Redis.failure(new CompletionException(gone)), "unwrapped");
    assertSame(gone, Redis.failure(gone), "as it came");
    CompletionException wrappedError = new CompletionException(new AssertionError("bug"));
    assertSame(wrappedError, Redis.failure(wrappedError), "an error stays wrapped");
    // Redis.await throws the same.
    assertSame(
        gone,
        assertThrows(
            RedisUnavailableException.class,
            () -> Redis.await(CompletableFuture.failedFuture(gone))));
    CompletionException awaited =
        assertThrows(
            CompletionException.class,
            () -> Redis.await(CompletableFuture.failedFuture(new AssertionError("bug"))));
    assertInstanceOf(AssertionError.class, awaited.getCause());
  }

  /** Style: every script opens with a purpose line, its KEYS and ARGV, and its outputs. */
  @Test
  void everyScriptFileHasItsHeaderAndAJavaConstant() throws Exception {
    Path dir = Checkout.root().resolve("core/src/main/resources/lua");
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(23, files.size(), "a new script needs a LuaScript constant and tests");
    Pattern purpose = Pattern.compile("\\A-- ([a-z_]+): \\S.*");
    for (Path file : files) {
      String source = Files.readString(file);
      String name = file.getFileName().toString().replace(".lua", "");
      Matcher m = purpose.matcher(source.lines().findFirst().orElse(""));
      assertTrue(m.matches() && m.group(1).equals(name), file + " opens with '-- " + name + ": '");
      assertTrue(source.contains("-- KEYS[1"), file + " lists its KEYS");
      assertTrue(source.contains("-- Output:"), file + " lists its outputs");
      assertTrue(!source.contains("'TIME'"), file + " takes time as an argument, not from Redis");
      if (!source.contains("--- @include")) {
        assertEquals(source, LuaScript.load(name).source());
      }
    }
  }

  /** The rule of how an attempt ends is written once and expanded into each script using it. */
  @Test
  void anIncludeIsExpandedInPlaceAndLeavesNoMarker() throws Exception {
    Map<String, List<LuaScript>> users =
        Map.of(
            "attempt", List.of(LuaScript.END_ATTEMPT, LuaScript.REAP_EXPIRED),
            "lease", List.of(LuaScript.END_ATTEMPT, LuaScript.RENEW_LEASES),
            "new_task", List.of(LuaScript.ENQUEUE, LuaScript.FIRE_SCHEDULE),
            "retired", List.of(LuaScript.ENQUEUE, LuaScript.FIRE_SCHEDULE, LuaScript.REPLAY_DEAD),
            "queue_module", List.of(LuaScript.ENQUEUE, LuaScript.ANNOUNCE_MODULE),
            "claimed", List.of(LuaScript.CLAIM, LuaScript.ENQUEUE, LuaScript.STAND_BY));
    for (Map.Entry<String, List<LuaScript>> include : users.entrySet()) {
      Path file =
          Checkout.root()
              .resolve("core/src/main/resources/lua/include/" + include.getKey() + ".lua");
      String rule = Files.readString(file).stripTrailing();
      assertTrue(
          rule.startsWith("-- " + include.getKey() + ": "), file + " opens with its purpose");
      for (LuaScript script : include.getValue()) {
        assertTrue(script.source().contains(rule), script + " holds " + file);
        assertTrue(!script.source().contains("--- @include"), script + " has no include left");
      }
    }
  }
}
