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

    boolean isIdle(long lastSeenAt, long now) {
        return now - lastSeenAt >= ttlMillis;
    }
}
