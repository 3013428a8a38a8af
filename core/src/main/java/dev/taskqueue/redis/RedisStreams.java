package dev.taskqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.api.stream.StreamReadArgs;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/**
 * Redis streams, in the terms of {@link Redis}: keys, ids as {@code <ms>-<seq>} text, fields as
 * strings; failures as {@link dev.taskqueue.error.RedisUnavailableException} or {@link
 * IllegalStateException}.
 */
public final class RedisStreams {
  /** One stream entry: its id ({@code <ms>-<seq>}) and fields. */
  public record Entry(String id, Map<String, String> fields) {}

  /** An entry to append to the stream {@code key}. */
  public record Append(String key, Map<String, String> fields) {}

  private final RedissonClient client;

  RedisStreams(RedissonClient client) {
    this.client = client;
  }

  /** {@code XADD key * ...} for each, in order, in one round trip. */
  public void appendAll(List<Append> entries) {
    if (entries.isEmpty()) {
      return;
    }
    RedisFailures.call(
        "XADD",
        entries.get(0).key() + (entries.size() > 1 ? " and " + (entries.size() - 1) + " more" : ""),
        () -> {
          RBatch batch = client.createBatch(BatchOptions.defaults());
          for (Append entry : entries) {
            var unused =
                batch
                    .<String, String>getStream(entry.key(), StringCodec.INSTANCE)
                    .addAsync(StreamAddArgs.entries(entry.fields()));
          }
          return batch.execute();
        });
  }

  /** The entries after {@code after} ({@code 0-0} for all), oldest first, at most {@code count}. */
  public List<Entry> after(String key, String after, int count) {
    return RedisFailures.call(
        "XRANGE",
        key,
        () ->
            entries(
                client
                    .<String, String>getStream(key, StringCodec.INSTANCE)
                    .range(
                        StreamRangeArgs.startIdExclusive(parse(after))
                            .endId(StreamMessageId.MAX)
                            .count(count))));
  }

  /**
   * Waits up to {@code timeout} for entries after {@code after} ({@code XREAD BLOCK}); none when
   * the time passed first. The stream need not exist yet.
   */
  public List<Entry> await(String key, String after, int count, Duration timeout)
      throws InterruptedException {
    try {
      return entries(
          client
              .<String, String>getStream(key, StringCodec.INSTANCE)
              .read(StreamReadArgs.greaterThan(parse(after)).count(count).timeout(timeout)));
    } catch (RedisException e) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting on " + key);
      }
      throw RedisFailures.translate("XREAD", key, e);
    }
  }

  private static List<Entry> entries(Map<StreamMessageId, Map<String, String>> read) {
    List<Entry> entries = new ArrayList<>();
    if (read != null) {
      read.forEach((id, fields) -> entries.add(new Entry(id.toString(), fields)));
    }
    return entries;
  }

  private static StreamMessageId parse(String id) {
    int dash = id.indexOf('-');
    return dash < 0
        ? new StreamMessageId(Long.parseLong(id), 0)
        : new StreamMessageId(
            Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
  }
}
