package dev.taskqueue.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The front of a sorted set as of a score, as {@link RedisSortedSets#membersAndHeads} reads it.
 *
 * @param upTo members scored at most that score, lowest first, with their scores: at most as many
 *     as asked for, so a full count may mean more
 * @param lowestAbove the lowest score above it, if any member has one
 */
public record ScoredHead(Map<String, Long> upTo, Optional<Long> lowestAbove) {
  public ScoredHead {
    upTo = Collections.unmodifiableMap(new LinkedHashMap<>(upTo));
  }
}
