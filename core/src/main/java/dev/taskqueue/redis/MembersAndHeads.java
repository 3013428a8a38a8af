package dev.taskqueue.redis;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link RedisSortedSets#membersAndHeads} read in one round trip: a set's members, and the
 * heads of some sorted sets by key.
 */
public record MembersAndHeads(Set<String> members, Map<String, ScoredHead> heads) {
  public MembersAndHeads {
    members = Set.copyOf(members);
    heads = Map.copyOf(heads);
  }

  /** The head read of {@code sortedSet}; empty when it was not among those asked for. */
  public Optional<ScoredHead> head(String sortedSet) {
    return Optional.ofNullable(heads.get(sortedSet));
  }
}
