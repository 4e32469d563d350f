package io.streamcast.simulate;

import static io.streamcast.simulate.SensorSimulator.DEFAULT_START;
import static io.streamcast.simulate.SensorSimulator.STEP_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated clock never runs ahead of the wall clock it is given. */
class SensorSimulatorTest {
    private static final long NOW = Instant.parse("2026-12-04T18:46:07.123Z").toEpochMilli();

    /**
     * The timestamp of the last of {@code readings} readings of {@code series} series started at
     * {@code start}.
     */
    private static long lastTs(long start, int series, long readings) {
        SensorSimulator sim = new SensorSimulator(series, start, 0, 1);
        long last = Long.MIN_VALUE;
        for (long n = 0; n < readings; ) {
            for (SensorSimulator.Reading r : sim.nextRound()) {
                if (n++ < readings) {
                    last = r.ts();
                }
            }
        }
        return last;
    }

    @Test
    void aRunThatEndsBeforeNowStartsAtTheDefaultStart() {
        assertEquals(DEFAULT_START, SensorSimulator.startEndingBy(3_000, 7, NOW));
    }

    @Test
    void aRunThatWouldOutrunNowStartsEarlyEnoughForItsLastReadingToBeInThePast() {
        // The demo: 1 series at 2,000 events/s for 30 s is 60,000 steps of 15 minutes,
        // about 625 days.
        for (long[] run : List.of(new long[] {60_000, 1}, new long[] {100_001, 3})) {
            long readings = run[0];
            int series = (int) run[1];
            long start = SensorSimulator.startEndingBy(readings, series, NOW);
            assertTrue(start < DEFAULT_START);
            assertEquals(0, start % STEP_MILLIS, "on a step boundary");
            long last = lastTs(start, series, readings);
            assertTrue(
                    last <= NOW && last > NOW - STEP_MILLIS,
                    "last reading " + Instant.ofEpochMilli(last));
        }
    }

    @Test
    void aRunTooLongToRepresentHasNoStart() {
        assertEquals(Long.MIN_VALUE, SensorSimulator.startEndingBy(Long.MAX_VALUE, 1, NOW));
    }
}
