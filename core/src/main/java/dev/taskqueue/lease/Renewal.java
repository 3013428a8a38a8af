package dev.taskqueue.lease;

import java.time.Instant;
import java.util.Optional;

/**
 * What one heartbeat did to one lease: renewed until a new expiry, or lost, with why.
 *
 * @param until the lease's expiry now, when renewed (never past the attempt's deadline)
 * @param lost why the lease is no longer held, when it is not: {@link AttemptEnd#ALREADY_RECORDED}
 *     when its worker ended the attempt just before this renewal
 */
public record Renewal(Lease lease, Optional<Instant> until, Optional<AttemptEnd> lost) {}
