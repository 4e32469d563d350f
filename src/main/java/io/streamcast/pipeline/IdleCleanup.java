package io.streamcast.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * When to drop the state of a series that stopped reporting. Each reading asks for a processing-time check one TTL
 * later, rounded up to a coarse granularity so that a busy series registers one timer per granule rather than one per
 * reading (Flink de-duplicates timers per key and timestamp); the check drops state only if nothing arrived since.
 */
final class IdleCleanup implements Serializable {
    private final long ttlMillis;
    private final long granule;

    IdleCleanup(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
        this.granule = Math.max(1, ttlMillis / 16);
    }

    /** The time at which to check a series last seen at {@code now}. */
    long checkAt(long now) {
        long due = now + ttlMillis;
        return (due / granule + 1) * granule;
    }

    boolean isIdle(long lastSeenAt, long now) {
        return now - lastSeenAt >= ttlMillis;
    }
}
