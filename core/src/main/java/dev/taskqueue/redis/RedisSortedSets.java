package dev.taskqueue.redis;

import static dev.taskqueue.redis.RedisFailures.call;
import static dev.taskqueue.redis.RedisFailures.translateAsync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSetAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Plain commands on sorted sets, scored by time in ms since the epoch wherever task-queue keeps one
 * (scheduled tasks, leases' expiries, schedules, workers' heartbeats, queue markers): ranges by
 * score, the heads a sweep reads, and the blocking pop an idle worker waits in. Failures come out
 * as {@link Redis} says.
 */
public final class RedisSortedSets {
  private final RedissonClient client;

  RedisSortedSets(RedissonClient client) {
    this.client = Objects.requireNonNull(client);
  }

  /** Members of a sorted set scored at most {@code max}, lowest first, at most {@code count}. */
  public List<String> rangeByScore(String key, long max, int count) {
    return call(
        "ZRANGEBYSCORE",
        key,
        () ->
            List.copyOf(
                client
                    .<String>getScoredSortedSet(key)
                    .valueRange(Double.NEGATIVE_INFINITY, true, (double) max, true, 0, count)));
  }

  /** Like {@link #rangeByScore}, with each member's score: members in order, lowest score first. */
  public Map<String, Long> rangeByScoreWithScores(String key, long max, int count) {
    return call(
        "ZRANGEBYSCORE",
        key,
        () ->
            scored(
                client
                    .<String>getScoredSortedSet(key)
                    .entryRange(Double.NEGATIVE_INFINITY, true, (double) max, true, 0, count)));
  }

  /**
   * The members of {@code set} and, for each of {@code sortedSets}, its head as of {@code max}: the
   * members scored at most {@code max}, lowest first, at most {@code count}, and the lowest score
   * above it. One round trip (pipelined; the keys may be in different Redis Cluster slots): what a
   * sweep over every queue reads before it acts.
   */
  public MembersAndHeads membersAndHeads(String set, List<String> sortedSets, long max, int count) {
    return call(
        "SMEMBERS and ZRANGEBYSCORE",
        set + " and " + sortedSets.size() + " sorted sets",
        () -> {
          RBatch batch = client.createBatch(BatchOptions.defaults());
          RFuture<Set<String>> members =
              batch.<String>getSet(set, StringCodec.INSTANCE).readAllAsync();
          List<RFuture<Collection<ScoredEntry<String>>>> upTo = new ArrayList<>();
          List<RFuture<Collection<ScoredEntry<String>>>> above = new ArrayList<>();
          for (String key : sortedSets) {
            RScoredSortedSetAsync<String> sorted =
                batch.getScoredSortedSet(key, StringCodec.INSTANCE);
            upTo.add(
                sorted.entryRangeAsync(
                    Double.NEGATIVE_INFINITY, true, (double) max, true, 0, count));
            above.add(
                sorted.entryRangeAsync((double) max, false, Double.POSITIVE_INFINITY, true, 0, 1));
          }
          batch.execute();
          Map<String, ScoredHead> heads = new LinkedHashMap<>();
          for (int i = 0; i < sortedSets.size(); i++) {
            Optional<Long> lowestAbove =
                above.get(i).toCompletableFuture().join().stream()
                    .findFirst()
                    .map(entry -> entry.getScore().longValue());
            heads.put(
                sortedSets.get(i),
                new ScoredHead(scored(upTo.get(i).toCompletableFuture().join()), lowestAbove));
          }
          return new MembersAndHeads(members.toCompletableFuture().join(), heads);
        });
  }

  /** A range read with scores: its members in order, with their scores. */
  private static Map<String, Long> scored(Collection<ScoredEntry<String>> range) {
    Map<String, Long> scored = new LinkedHashMap<>();
    for (ScoredEntry<String> entry : range) {
      scored.put(entry.getValue(), entry.getScore().longValue());
    }
    return scored;
  }

  /** The lowest score in a sorted set; empty when it is empty. */
  public Optional<Long> lowestScore(String key) {
    Double score = call("ZRANGE", key, () -> client.<String>getScoredSortedSet(key).firstScore());
    return Optional.ofNullable(score).map(Double::longValue);
  }

  /** {@code ZCARD key}. */
  public long zcard(String key) {
    return call("ZCARD", key, () -> (long) client.<String>getScoredSortedSet(key).size());
  }

  /** {@code ZADD} of one member: safe to repeat. */
  public void zadd(String key, long score, String member) {
    call("ZADD", key, () -> client.<String>getScoredSortedSet(key).add((double) score, member));
  }

  /** {@code ZREMRANGEBYSCORE key -inf max}: the members scored at most {@code max} go. */
  public void zremUpTo(String key, long max) {
    call(
        "ZREMRANGEBYSCORE",
        key,
        () ->
            client
                .<String>getScoredSortedSet(key)
                .removeRangeByScore(Double.NEGATIVE_INFINITY, true, (double) max, true));
  }

  /** {@code ZCOUNT key min +inf}: how many members are scored at least {@code min}. */
  public long zcountFrom(String key, long min) {
    return call(
        "ZCOUNT",
        key,
        () ->
            (long)
                client
                    .<String>getScoredSortedSet(key)
                    .count((double) min, true, Double.POSITIVE_INFINITY, true));
  }

  /** {@code ZREM} of one member: safe to repeat. */
  public void zrem(String key, String member) {
    call("ZREM", key, () -> client.<String>getScoredSortedSet(key).remove(member));
  }

  /**
   * Starts a blocking pop ({@code BZMPOP}) that ends when one of the sorted sets has a member to
   * take, or {@code timeout} passes, and takes its first member. The sets must share a Redis
   * Cluster slot. The client sends the timeout in whole seconds, and 0 would mean for ever: it is
   * rounded up to a whole second, at least one.
   *
   * @return completes with the set the member was taken from and the member, as bytes (a member may
   *     be a packed value), empty when the time passed; or fails with what {@link
   *     RedisFailures#call} would throw
   */
  public CompletableFuture<Optional<Map.Entry<String, byte[]>>> popAnyAsync(
      List<String> sortedSets, Duration timeout) {
    String first = sortedSets.get(0);
    String[] others = sortedSets.subList(1, sortedSets.size()).toArray(String[]::new);
    Duration seconds = Duration.ofSeconds(Math.max(1, (timeout.toMillis() + 999) / 1000));
    return client
        .<byte[]>getScoredSortedSet(first, ByteArrayCodec.INSTANCE)
        .pollFirstEntriesFromAnyAsync(seconds, 1, others)
        .toCompletableFuture()
        .handle(
            (popped, error) -> {
              if (error != null) {
                throw translateAsync("BZMPOP", first, error);
              }
              return first(popped);
            });
  }

  private static Optional<Map.Entry<String, byte[]>> first(
      Map<String, Map<byte[], Double>> popped) {
    if (popped != null) {
      for (Map.Entry<String, Map<byte[], Double>> set : popped.entrySet()) {
        for (byte[] member : set.getValue().keySet()) {
          return Optional.of(Map.entry(set.getKey(), member));
        }
      }
    }
    return Optional.empty();
  }
}
