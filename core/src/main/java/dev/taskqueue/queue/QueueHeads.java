package dev.taskqueue.queue;

import dev.taskqueue.redis.Keys;
import dev.taskqueue.redis.MembersAndHeads;
import dev.taskqueue.redis.Redis;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What a sweep over every queue (the scheduler's, the reaper's) reads before it acts, in one round
 * trip: the queues of {@code {P}:queues} and, for each queue the read before found, the front of
 * some of its sorted sets as of now ({@link Redis#membersAndHeads}). A queue new to the set costs a
 * second read, for its sets. One sweeper's reads, one after another: not for two threads.
 */
public final class QueueHeads {
  private final Redis redis;
  private final Keys keys;
  private final List<BiFunction<Keys, String, String>> sets;
  private final int count;
  private Set<String> queues = Set.of();

  /**
   * @param sets the sorted sets to read of each queue, as {@link Keys} names them ({@code
   *     Keys::scheduled}, ...)
   * @param count how many members up to now to read of each, at most
   */
  public QueueHeads(
      Redis redis, Keys keys, List<BiFunction<Keys, String, String>> sets, int count) {
    this.redis = Objects.requireNonNull(redis);
    this.keys = Objects.requireNonNull(keys);
    this.sets = List.copyOf(sets);
    this.count = count;
  }

  /**
   * The queues and their sets' fronts as of {@code now} (ms since the epoch). A queue added to the
   * set between the two reads of a sweep that needs two is among the members but has no heads: the
   * next read has them.
   */
  public MembersAndHeads read(long now) {
    MembersAndHeads read = read(queues, now);
    if (!queues.containsAll(read.members())) {
      read = read(read.members(), now);
    }
    queues = read.members();
    return read;
  }

  private MembersAndHeads read(Set<String> of, long now) {
    List<String> keysRead = new ArrayList<>(sets.size() * of.size());
    for (String queue : of) {
      for (BiFunction<Keys, String, String> set : sets) {
        keysRead.add(set.apply(keys, queue));
      }
    }
    return redis.membersAndHeads(keys.queues(), keysRead, now, count);
  }
}
