package dev.taskqueue.redis;

import static dev.taskqueue.redis.RedisFailures.call;

import dev.taskqueue.error.RedisUnavailableException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.redisnode.RedisNode;
import org.redisson.api.redisnode.RedisNodes;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;

/**
 * The one place task-queue sends commands to Redis: plain commands here, scripts through {@link
 * #scripts} ({@link RedisScripts}), sorted sets through {@link #sortedSets} ({@link
 * RedisSortedSets}) and streams through {@link #streams} ({@link RedisStreams}). Callers speak in
 * keys, scripts and plain Java values; no driver type or driver exception gets past these classes
 * ({@link RedisFailures}).
 *
 * <p>Failures come out as one of two things. {@link RedisUnavailableException}: Redis could not be
 * reached, did not answer in time, or is not accepting writes (loading, failing over, out of
 * memory); for a write its outcome is then unknown. {@link IllegalStateException}: Redis answered
 * with an error, which means a bug or data this program did not write.
 *
 * <p>Nothing here sends a command twice: the client is configured without retries, because a script
 * re-sent blindly after a timeout may run twice. Whether a request is safe to send again is the
 * caller's decision ({@link Resend}), and each script says in its header what a repeat does.
 */
public final class Redis implements AutoCloseable {
  private final RedissonClient client;
  private final RedisScripts scripts;
  private final RedisSortedSets sortedSets;

  public Redis(RedissonClient client) {
    this.client = Objects.requireNonNull(client);
    this.scripts = new RedisScripts(client, this::cluster);
    this.sortedSets = new RedisSortedSets(client);
  }

  /** Scripts: one per state change, each atomic ({@link RedisScripts}). */
  public RedisScripts scripts() {
    return scripts;
  }

  /**
   * Waits for a request sent with one of the {@code Async} methods, and throws what its synchronous
   * twin would have thrown.
   */
  public static <T> T await(CompletableFuture<T> request) {
    try {
      return request.join();
    } catch (CompletionException e) {
      throw failure(e);
    }
  }

  /**
   * What a request sent with one of the {@code Async} methods failed with, as its synchronous twin
   * would have thrown it: {@code error} as a future's callback got it, unwrapped from the {@link
   * CompletionException} a dependent future wraps it in.
   */
  public static RuntimeException failure(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RuntimeException e) {
      return e;
    }
    return error instanceof RuntimeException e ? e : new CompletionException(cause);
  }

  /**
   * The length of each of {@code lists} and the size of each of {@code sortedSets}, in one round
   * trip (pipelined): a key that does not exist counts 0.
   */
  public Map<String, Long> sizes(List<String> lists, List<String> sortedSets) {
    return call(
        "LLEN and ZCARD",
        lists.size() + sortedSets.size() + " keys",
        () -> {
          RBatch batch = client.createBatch(BatchOptions.defaults());
          for (String key : lists) {
            var unused = batch.<String>getList(key, StringCodec.INSTANCE).sizeAsync();
          }
          for (String key : sortedSets) {
            var unused = batch.<String>getScoredSortedSet(key, StringCodec.INSTANCE).sizeAsync();
          }
          List<?> replies = batch.execute().getResponses();
          Map<String, Long> sizes = new LinkedHashMap<>();
          int i = 0;
          for (String key : lists) {
            sizes.put(key, ((Number) replies.get(i++)).longValue());
          }
          for (String key : sortedSets) {
            sizes.put(key, ((Number) replies.get(i++)).longValue());
          }
          return sizes;
        });
  }

  /**
   * The string value of each of {@code keys} in one round trip (pipelined GETs, not MGET: the keys
   * may be in different Redis Cluster slots), by key; a key that does not exist is left out.
   */
  public Map<String, String> values(List<String> keys) {
    return call(
        "GET",
        keys.size() + " keys",
        () -> {
          RBatch batch = client.createBatch(BatchOptions.defaults());
          for (String key : keys) {
            var unused = batch.<String>getBucket(key, StringCodec.INSTANCE).getAsync();
          }
          List<?> replies = batch.execute().getResponses();
          Map<String, String> values = new LinkedHashMap<>();
          for (int i = 0; i < keys.size(); i++) {
            if (replies.get(i) instanceof String value) {
              values.put(keys.get(i), value);
            }
          }
          return values;
        });
  }

  /** {@code LLEN key}. */
  public long llen(String key) {
    return call("LLEN", key, () -> (long) client.<String>getList(key).size());
  }

  /** {@code LRANGE key from to}; negative indexes count from the end. */
  public List<String> lrange(String key, int from, int to) {
    return call("LRANGE", key, () -> client.<String>getList(key).range(from, to));
  }

  /** Every field of a hash; empty when the key does not exist. */
  public Map<String, String> hgetall(String key) {
    return call("HGETALL", key, () -> client.<String, String>getMap(key).readAllMap());
  }

  public Optional<String> hget(String key, String field) {
    return Optional.ofNullable(
        call("HGET", key, () -> client.<String, String>getMap(key).get(field)));
  }

  public Set<String> smembers(String key) {
    return call("SMEMBERS", key, () -> new TreeSet<>(client.<String>getSet(key).readAll()));
  }

  /** {@code HSETNX}: sets the field only if it is absent; whether it did. */
  public boolean hsetIfAbsent(String key, String field, String value) {
    return call(
        "HSETNX", key, () -> client.<String, String>getMap(key).fastPutIfAbsent(field, value));
  }

  /** {@code HSET} of one field: safe to repeat. */
  public void hset(String key, String field, String value) {
    call("HSET", key, () -> client.<String, String>getMap(key).fastPut(field, value));
  }

  /** {@code HDEL} of one field: safe to repeat. */
  public void hdel(String key, String field) {
    call("HDEL", key, () -> client.<String, String>getMap(key).fastRemove(field));
  }

  /**
   * Listens to a pub/sub channel until the returned handle is closed. Messages published while the
   * connection is down are lost: a listener must not depend on every one arriving.
   */
  public AutoCloseable subscribe(String channel, Consumer<String> listener) {
    RTopic topic = client.getTopic(channel, StringCodec.INSTANCE);
    int id =
        call(
            "SUBSCRIBE",
            channel,
            () -> topic.addListener(String.class, (ch, message) -> listener.accept(message)));
    return () -> topic.removeListener(id);
  }

  /** Deletes every key matching {@code pattern}: for tools that clean up after themselves. */
  public long deleteMatching(String pattern) {
    return call("DEL", pattern, () -> client.getKeys().deleteByPattern(pattern));
  }

  /** {@code SADD}: safe to repeat. */
  public void sadd(String key, String member) {
    call("SADD", key, () -> client.getSet(key).add(member));
  }

  /** A string value as raw bytes. */
  public Optional<byte[]> getBytes(String key) {
    return Optional.ofNullable(
        call("GET", key, () -> client.<byte[]>getBucket(key, ByteArrayCodec.INSTANCE).get()));
  }

  /**
   * The value of the configuration {@code parameter} on each master this client writes to, by the
   * master's address ({@code CONFIG GET}). Managed services often deny or rename {@code CONFIG}:
   * then this fails as any command Redis refuses does.
   */
  public Map<String, String> configOfMasters(String parameter) {
    return call(
        "CONFIG GET",
        parameter,
        () -> {
          List<RedisNode> masters =
              cluster()
                  ? List.copyOf(client.getRedisNodes(RedisNodes.CLUSTER).getMasters())
                  : client.getConfig().isSentinelConfig()
                      ? List.of(client.getRedisNodes(RedisNodes.SENTINEL_MASTER_SLAVE).getMaster())
                      : List.of(client.getRedisNodes(RedisNodes.SINGLE).getInstance());
          Map<String, String> values = new LinkedHashMap<>();
          for (RedisNode master : masters) {
            String value = master.getConfig(parameter).get(parameter);
            if (value != null) {
              InetSocketAddress address = master.getAddr();
              values.put(address.getHostString() + ":" + address.getPort(), value);
            }
          }
          return values;
        });
  }

  /** Whether this client talks to a Redis Cluster, where a command's keys must share a slot. */
  public boolean cluster() {
    return client.getConfig().isClusterConfig();
  }

  /** The Redis Cluster slot of {@code key}. */
  public int slot(String key) {
    return call("CLUSTER KEYSLOT", key, () -> client.getKeys().getSlot(key));
  }

  /** Sorted sets: ranges by score, their heads, blocking pops ({@link RedisSortedSets}). */
  public RedisSortedSets sortedSets() {
    return sortedSets;
  }

  /** Streams: appending in batches, reading and waiting ({@link RedisStreams}). */
  public RedisStreams streams() {
    return new RedisStreams(client);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
