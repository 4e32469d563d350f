package io.streamcast.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.function.Function;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.TimerService;

/**
 * Drops the keyed state of a series that stopped reporting, for each keyed operator: the operator
 * reports every reading ({@link #seen}) and hands over every processing-time timer ({@link
 * #onTimer}), which says when to drop the series' state. The bookkeeping lives in keyed state of
 * its own ({@link SeriesActivity}), so the series' model state carries none.
 *
 * <p>Implementation notes: a series has at most one processing-time check pending, whose time its
 * activity record keeps: a reading registers a check only when none is pending, and a check that
 * finds the series still active registers the next one a TTL after its last reading. Registering a
 * check per reading instead cost a timer-set lookup per event in every keyed operator and kept many
 * timers per series in state. A series restored from a savepoint taken before the activity record
 * existed has only its old timer: when that fires with no record, the series counts as seen then
 * and gets a check of its own, so it is still dropped once idle.
 *
 * <p>A reading is written down only when the recorded one is at least {@link #recordEvery} old (a
 * sixty-fourth of the TTL, at most a minute): writing the record back for every reading cost each
 * keyed operator a state write per event. So the record may be that much behind, and the checks
 * allow for it: a series is dropped after at least the TTL, and at most the TTL plus that slack,
 * without a reading.
 */
final class IdleCleanup implements Serializable {
    private final long ttlMillis;
    private final long recordEvery;
    private transient ValueState<SeriesActivity> activity;

    IdleCleanup(Duration ttl) {
        this.ttlMillis = ttl.toMillis();
        this.recordEvery = Math.max(1, Math.min(ttlMillis / 64, 60_000));
    }

    /**
     * Binds to the operator's keyed state; {@code stateOf} is its way of getting a value state
     * (call in open).
     */
    void open(Function<ValueStateDescriptor<SeriesActivity>, ValueState<SeriesActivity>> stateOf) {
        activity = stateOf.apply(new ValueStateDescriptor<>("idle-cleanup", SeriesActivity.class));
    }

    /**
     * Records a reading of the current key now (unless one was recorded less than {@link
     * #recordEvery} ago), registering its idle check if none is pending.
     */
    void seen(TimerService timers) throws IOException {
        long now = timers.currentProcessingTime();
        SeriesActivity a = activity.value();
        if (a != null && now - a.lastSeenAt < recordEvery) {
            return;
        }
        if (a == null) {
            a = new SeriesActivity();
        }
        a.lastSeenAt = now;
        if (a.cleanupAt == 0) {
            a.cleanupAt = checkAt(now);
            timers.registerProcessingTimeTimer(a.cleanupAt);
        }
        activity.update(a);
    }

    /**
     * Handles a processing-time timer of the current key firing at {@code timestamp}: true when the
     * series has been idle for the TTL, in which case its activity record is gone and the caller
     * must clear the series' state.
     */
    boolean onTimer(long timestamp, TimerService timers) throws IOException {
        SeriesActivity a = activity.value();
        if (a == null) {
            // A check registered before the activity record existed (restored state): count the
            // series as seen now.
            a = new SeriesActivity();
            a.lastSeenAt = timers.currentProcessingTime();
            a.cleanupAt = checkAt(a.lastSeenAt);
            timers.registerProcessingTimeTimer(a.cleanupAt);
            activity.update(a);
            return false;
        }
        switch (check(a.lastSeenAt, a.cleanupAt, timestamp)) {
            case DROP -> {
                activity.clear();
                return true;
            }
            case RESCHEDULE -> {
                a.cleanupAt = checkAt(a.lastSeenAt);
                timers.registerProcessingTimeTimer(a.cleanupAt);
                activity.update(a);
            }
            case KEEP -> {}
        }
        return false;
    }

    /**
     * The time at which to check a series last recorded at {@code lastSeenAt}: the TTL plus the
     * slack by which the record may be behind.
     */
    long checkAt(long lastSeenAt) {
        return lastSeenAt + ttlMillis + recordEvery;
    }

    /** How old the recorded reading must be before a new reading is written down. */
    long recordEvery() {
        return recordEvery;
    }

    /** What a check firing at {@code now} does to a series' state. */
    enum Verdict {
        /** Idle for the TTL and the record's slack: drop the state. */
        DROP,
        /**
         * The series' own pending check found it active: register the next one, {@link #checkAt}
         * its last reading.
         */
        RESCHEDULE,
        /**
         * A check that is not the pending one (left from an older version's timers) found it
         * active: nothing.
         */
        KEEP
    }

    /**
     * The verdict of a check at {@code now} on a series last seen at {@code lastSeenAt} with check
     * {@code pending}.
     */
    Verdict check(long lastSeenAt, long pending, long now) {
        if (now - lastSeenAt >= ttlMillis + recordEvery) {
            return Verdict.DROP;
        }
        return now == pending ? Verdict.RESCHEDULE : Verdict.KEEP;
    }
}
