package dev.taskqueue.lease;

import dev.taskqueue.redis.Keys;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * How one claimer's requests are put to Redis: the keys and arguments of {@code claim.lua} and
 * {@code stand_by.lua}, and the claimer's own keys (its record of its latest request, its hand-off
 * set), named by an id of its own drawn at random. What a request asks, and what its reply means,
 * is {@link Claimer}'s.
 */
final class ClaimCalls {
  /** How long Redis keeps a claimer's record of its latest request. */
  static final Duration RECORD_TTL = Duration.ofMinutes(10);

  private final Keys keys;
  private final String workerId;
  private final String host;
  private final Duration leaseDuration;
  private final String claimerId;

  ClaimCalls(Keys keys, String workerId, String host, Duration leaseDuration) {
    this.keys = Objects.requireNonNull(keys);
    this.workerId = Objects.requireNonNull(workerId);
    this.host = Objects.requireNonNull(host);
    this.leaseDuration = Objects.requireNonNull(leaseDuration);
    byte[] id = new byte[8];
    new SecureRandom().nextBytes(id);
    this.claimerId = HexFormat.of().formatHex(id);
  }

  /** The worker the leases are made out to. */
  String workerId() {
    return workerId;
  }

  /** The sorted set this claimer's hand-offs for {@code queue} are put in ({@code enqueue.lua}). */
  String handoffKey(String queue) {
    return keys.handoff(queue, claimerId);
  }

  /** This claimer's record of its latest request from {@code queue}. */
  String recordKey(String queue) {
    return keys.claimRecord(queue, claimerId);
  }

  /** The keys of {@code claim.lua} for a claim of the tasks {@code ids} from {@code queue}. */
  List<String> claimKeys(String queue, List<String> ids) {
    List<String> claimKeys = new ArrayList<>(8 + ids.size());
    claimKeys.add(keys.pending(queue));
    claimKeys.add(keys.processing(queue));
    claimKeys.add(keys.timeout(queue));
    claimKeys.add(keys.marker(queue));
    claimKeys.add(recordKey(queue));
    claimKeys.add(keys.paused(queue));
    ids.forEach(id -> claimKeys.add(keys.task(queue, id)));
    claimKeys.add(keys.standing(queue));
    claimKeys.add(handoffKey(queue));
    return claimKeys;
  }

  /**
   * The arguments of {@code claim.lua}: request {@code number}, sent at {@code now} (ms since the
   * epoch), for at most {@code max} of the tasks {@code ids}, its reply to show {@code frontSize}
   * ids of the front and at most {@code mostPayloadBytes} of payloads.
   */
  List<Object> claimArgs(
      long number, long now, int max, int frontSize, int mostPayloadBytes, List<String> ids) {
    List<Object> args = new ArrayList<>(9 + ids.size());
    args.add(workerId);
    args.add(number);
    args.add(now);
    args.add(max);
    args.add(leaseDuration.toMillis());
    args.add(RECORD_TTL.toMillis());
    args.add(frontSize);
    args.add(host);
    args.add(mostPayloadBytes);
    args.addAll(ids);
    return args;
  }

  /** The keys of {@code stand_by.lua} for {@code queue}. */
  List<String> standByKeys(String queue) {
    return List.of(
        keys.pending(queue),
        keys.paused(queue),
        keys.standing(queue),
        handoffKey(queue),
        recordKey(queue));
  }

  /**
   * The arguments of {@code stand_by.lua}: request {@code number}, sent at {@code now}, standing by
   * for {@code room} tasks for {@code standFor} (none and zero: standing down).
   */
  List<Object> standByArgs(long number, long now, int room, Duration standFor) {
    return List.of(
        number,
        now,
        room,
        standFor.toMillis(),
        leaseDuration.toMillis(),
        RECORD_TTL.toMillis(),
        workerId,
        host);
  }
}
