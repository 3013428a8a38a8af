package dev.taskqueue.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.KeysScanOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * A snapshot of every key under a test's prefix, with its whole content, so a test can assert
 * exactly what a transition wrote, and that a rejected request wrote nothing.
 *
 * <p>Values are shown as Java collections: a string as {@code String}, a hash as a sorted {@code
 * Map}, a list as a {@code List}, a set as a sorted {@code Set}, a sorted set as a {@code Map} of
 * member to score in score order.
 */
public final class RedisState {
  private RedisState() {}

  /** Every key containing {@code prefix} (hash tags included), sorted, with its content. */
  public static Map<String, Object> of(RedissonClient redis, String prefix) {
    Map<String, Object> state = new TreeMap<>();
    Iterable<String> keys =
        redis.getKeys().getKeys(KeysScanOptions.defaults().pattern("*" + prefix + "*"));
    for (String key : keys) {
      state.put(key, content(redis, key));
    }
    return state;
  }

  /** One key's content as {@link #of} gives it; null when there is no such key. */
  public static Object key(RedissonClient redis, String key) {
    return content(redis, key);
  }

  private static Object content(RedissonClient redis, String key) {
    RType type = redis.getKeys().getType(key);
    if (type == null) {
      return null;
    }
    return switch (type) {
      case OBJECT -> redis.<String>getBucket(key, StringCodec.INSTANCE).get();
      case MAP ->
          new TreeMap<>(redis.<String, String>getMap(key, StringCodec.INSTANCE).readAllMap());
      case LIST -> new ArrayList<>(redis.<String>getList(key, StringCodec.INSTANCE).readAll());
      case SET -> new TreeSet<>(redis.<String>getSet(key, StringCodec.INSTANCE).readAll());
      case ZSET -> scores(redis, key);
      default -> type.toString();
    };
  }

  private static Map<String, Double> scores(RedissonClient redis, String key) {
    Map<String, Double> scores = new LinkedHashMap<>();
    List<ScoredEntry<String>> entries =
        new ArrayList<>(
            redis.<String>getScoredSortedSet(key, StringCodec.INSTANCE).entryRange(0, -1));
    for (ScoredEntry<String> entry : entries) {
      scores.put(entry.getValue(), entry.getScore());
    }
    return scores;
  }
}
