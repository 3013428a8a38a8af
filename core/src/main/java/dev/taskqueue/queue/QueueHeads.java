package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.MembersAndHeads;
import dev.taskqueue.redis.Redis;
import dev.taskqueue.redis.ScoredHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What a sweep over every queue (the scheduler's, the reaper's) reads before it acts, in one round
 * trip: the queues of {@code {P}:queues} and, for each queue the read before found, the front of
 * two of its sorted sets as of now ({@link dev.taskqueue.redis.RedisSortedSets#membersAndHeads}). A
 * queue new to the set costs a second read, for its sets. One sweeper's reads, one after another:
 * not for two threads.
 */
public final class QueueHeads {
  private final Redis redis;
  private final Keys keys;
  private final BiFunction<Keys, String, String> first;
  private final BiFunction<Keys, String, String> second;
  private final int count;
  private Set<String> queues = Set.of();

  /**
   * The front of one queue's two sets.
   *
   * @param first the first set's, as {@link QueueHeads}'s constructor names them
   * @param second the second set's
   */
  public record Front(String queue, ScoredHead first, ScoredHead second) {}

  /**
   * @param first the first sorted set to read of each queue, as {@link Keys} names it ({@code
   *     Keys::scheduled}, ...)
   * @param second the second
   * @param count how many members up to now to read of each, at most
   */
  public QueueHeads(
      Redis redis,
      Keys keys,
      BiFunction<Keys, String, String> first,
      BiFunction<Keys, String, String> second,
      int count) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.first = Objects.requireNonNull(first);
    this.second = Objects.requireNonNull(second);
    this.count = count;
  }

  /**
   * Every queue's front as of {@code now} (ms since the epoch). A queue added to the set between
   * the two reads of a sweep that needs two is left out: the next read has it.
   */
  public List<Front> read(long now) {
    MembersAndHeads read = read(queues, now);
    if (!queues.containsAll(read.members())) {
      read = read(read.members(), now);
    }
    queues = read.members();
    List<Front> fronts = new ArrayList<>(queues.size());
    for (String queue : queues) {
      Optional<ScoredHead> a = read.head(first.apply(keys, queue));
      Optional<ScoredHead> b = read.head(second.apply(keys, queue));
      if (a.isPresent() && b.isPresent()) {
        fronts.add(new Front(queue, a.get(), b.get()));
      }
    }
    return fronts;
  }

  private MembersAndHeads read(Set<String> of, long now) {
    List<String> sets = new ArrayList<>(2 * of.size());
    for (String queue : of) {
      sets.add(first.apply(keys, queue));
      sets.add(second.apply(keys, queue));
    }
    return redis.sortedSets().membersAndHeads(keys.queues(), sets, now, count);
  }
}
