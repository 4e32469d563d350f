package io.streamcast.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * When to drop the state of a series that stopped reporting. A series has at most one processing-time check pending,
 * whose time its state keeps (0 for none): a reading registers a check only when none is pending, and a check that
 * finds the series still active registers the next one a TTL after its last reading.
 *
 * <p>Registering a check per reading instead cost a timer-set lookup per event in every keyed operator and kept many
 * timers per series in state.
 */
final class IdleCleanup implements Serializable {
    private final long ttlMillis;

    IdleCleanup(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
    }

    /** The time at which to check a series last seen at {@code lastSeenAt}. */
    long checkAt(long lastSeenAt) {
        return lastSeenAt + ttlMillis;
    }

    /** What a check firing at {@code now} does to a series' state. */
    enum Verdict {
        /** Idle for the TTL: drop the state. */
        DROP,
        /** The series' own pending check found it active: register the next one, {@link #checkAt} its last reading. */
        RESCHEDULE,
        /** A check that is not the pending one (left from an older version's timers) found it active: nothing. */
        KEEP
    }

    /** The verdict of a check at {@code now} on a series last seen at {@code lastSeenAt} with check {@code pending}. */
    Verdict check(long lastSeenAt, long pending, long now) {
        if (now - lastSeenAt >= ttlMillis) {
            return Verdict.DROP;
        }
        return now == pending ? Verdict.RESCHEDULE : Verdict.KEEP;
    }
}
