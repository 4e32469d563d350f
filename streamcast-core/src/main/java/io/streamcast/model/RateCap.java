package io.streamcast.model;

import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} items a second on average, with bursts of at most one second's worth
 * (or one item): {@link #tryTake()} says whether one more item may pass now. The clock is injected
 * (nanoseconds), so the cap is deterministic under test. Not thread-safe.
 *
 * <p>Used by the window assembler so that the share of readings sent to the trainer falls as the
 * event rate rises: past a few hundred samples a second per task the trainer keeps only a uniform
 * sample of them anyway, and every one sent costs the job a copy across tasks.
 */
public final class RateCap {
    private static final long SECOND = 1_000_000_000L;

    private final double perSecond;
    private final double burst;
    private final LongSupplier clock;
    private double tokens;
    private long last;

    public RateCap(double perSecond, LongSupplier clock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.clock = clock;
        this.burst = Math.max(1, perSecond);
        this.last = clock.getAsLong();
        this.tokens = burst;
    }

    /** Whether one more item may pass now (and counts it if so). */
    public boolean tryTake() {
        long now = clock.getAsLong();
        tokens = Math.min(burst, tokens + perSecond * (now - last) / SECOND);
        last = now;
        if (tokens >= 1) {
            tokens--;
            return true;
        }
        return false;
    }
}
