package io.streamcast.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.pipeline.IdleCleanup.Verdict;
import java.time.Duration;
import java.util.TreeSet;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.junit.jupiter.api.Test;

/** The idle-state policy shared by the keyed operators: one pending check per series. */
class IdleCleanupTest {
    private final IdleCleanup cleanup = new IdleCleanup(Duration.ofMinutes(60));

    /** How far the activity record may be behind: a sixty-fourth of the TTL here. */
    private final long slack = cleanup.recordEvery();

    /** One series' activity record, counting its writes. */
    static final class OneValue implements ValueState<SeriesActivity> {
        SeriesActivity value;
        int writes;

        @Override
        public SeriesActivity value() {
            return value;
        }

        @Override
        public void update(SeriesActivity v) {
            writes++;
            value = v;
        }

        @Override
        public void clear() {
            value = null;
        }
    }

    /** One series' processing-time timers and a settable clock. */
    static final class Timers implements TimerService {
        final TreeSet<Long> pending = new TreeSet<>();
        long now;

        @Override
        public long currentProcessingTime() {
            return now;
        }

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            pending.add(time);
        }

        @Override
        public void registerEventTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            pending.remove(time);
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw new UnsupportedOperationException();
        }

        /**
         * Fires the timers due by {@code time}, in order; true if one said to drop the series'
         * state.
         */
        boolean advanceTo(long time, IdleCleanup cleanup) throws Exception {
            boolean dropped = false;
            while (!pending.isEmpty() && pending.first() <= time) {
                long t = pending.pollFirst();
                now = t;
                dropped |= cleanup.onTimer(t, this);
            }
            now = time;
            return dropped;
        }
    }

    @Test
    void aSeriesIdleForTheTtlIsDroppedByAnyCheck() {
        assertEquals(Verdict.DROP, cleanup.check(0, cleanup.checkAt(0), cleanup.checkAt(0)));
        assertEquals(
                Verdict.DROP,
                cleanup.check(0, 0, 62 * 60_000),
                "a timer left by an older version drops too");
    }

    @Test
    void onlyTheSeriesOwnPendingCheckSchedulesTheNextOne() {
        long lastSeen = 30 * 60_000;
        long pending = cleanup.checkAt(0);
        assertEquals(Verdict.RESCHEDULE, cleanup.check(lastSeen, pending, pending));
        assertEquals(90 * 60_000 + slack, cleanup.checkAt(lastSeen));
        assertEquals(
                Verdict.KEEP,
                cleanup.check(lastSeen, pending, pending - 1),
                "an older timer must not add a second pending check");
    }

    @Test
    void anActiveSeriesKeepsOneCheckAndAnIdleOneLeavesNothingBehind() throws Exception {
        OneValue state = new OneValue();
        Timers timers = new Timers();
        cleanup.open(d -> state);
        cleanup.seen(timers);
        timers.now = 30 * 60_000;
        cleanup.seen(timers);
        assertEquals(
                1, timers.pending.size(), "a reading registers a check only when none is pending");
        assertFalse(timers.advanceTo(70 * 60_000, cleanup), "seen 40 minutes ago: kept");
        assertEquals(1, timers.pending.size());
        assertFalse(
                timers.advanceTo(90 * 60_000 + slack - 1, cleanup),
                "the record may be behind by the slack: kept until the TTL and the slack passed");
        assertTrue(
                timers.advanceTo(90 * 60_000 + slack, cleanup),
                "idle for the TTL and the slack: dropped");
        assertEquals(null, state.value);
        assertEquals(0, timers.pending.size());
    }

    @Test
    void aRestoredSeriesWithoutAnActivityRecordCountsAsSeenWhenItsOldTimerFires() throws Exception {
        OneValue state = new OneValue();
        Timers timers = new Timers();
        cleanup.open(d -> state);
        timers.registerProcessingTimeTimer(
                10 * 60_000); // the check a savepoint of the older layout restored
        assertFalse(timers.advanceTo(10 * 60_000, cleanup), "not known to be idle: kept");
        assertEquals(10 * 60_000, state.value.lastSeenAt);
        assertEquals(1, timers.pending.size());
        assertTrue(timers.advanceTo(70 * 60_000 + slack, cleanup), "dropped a TTL later");
        assertEquals(null, state.value);
        assertEquals(0, timers.pending.size());
    }

    @Test
    void readingsCloserThanTheSlackAreNotWrittenAndTheSeriesIsStillKeptForTheTtl()
            throws Exception {
        OneValue state = new OneValue();
        Timers timers = new Timers();
        cleanup.open(d -> state);
        assertEquals(56_250, slack, "a sixty-fourth of an hour");
        for (long t = 0; t < 10 * 60_000; t += 1_000) {
            timers.now = t;
            cleanup.seen(timers);
        }
        assertEquals(11, state.writes, "one write per slack, not one per reading (600 readings)");
        long lastReading = 10 * 60_000 - 1_000;
        assertFalse(
                timers.advanceTo(lastReading + 60 * 60_000 - 1, cleanup),
                "never dropped before the TTL after its last reading");
        assertTrue(
                timers.advanceTo(lastReading + 60 * 60_000 + slack, cleanup),
                "dropped within the TTL and the slack after its last reading");
    }
}
