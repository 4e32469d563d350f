package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamcast.model.SeriesHistory.Insertion;
import org.junit.jupiter.api.Test;

class SeriesHistoryTest {
    private static final long OOO = 5_000;
    private static final long JUMP = 86_400_000;

    private static Insertion offer(SeriesHistory h, long ts, float v) {
        return h.offer(ts, new float[] {v}, OOO, JUMP, 100);
    }

    @Test
    void readingsWithinTheOutOfOrdernessAreInsertedInTimestampOrder() {
        SeriesHistory h = new SeriesHistory(4, 1);
        assertEquals(Insertion.APPENDED, offer(h, 1000, 1));
        assertEquals(Insertion.APPENDED, offer(h, 3000, 3));
        assertEquals(Insertion.REORDERED, offer(h, 2000, 2));
        assertArrayEquals(new long[] {1000, 2000, 3000}, java.util.Arrays.copyOf(h.ts, h.count));
        assertArrayEquals(new float[] {1, 2, 3}, java.util.Arrays.copyOf(h.rows, h.count));
    }

    @Test
    void olderThanTheOutOfOrdernessIsLateAndSeenTimestampsAreDuplicates() {
        SeriesHistory h = new SeriesHistory(8, 1);
        offer(h, 10_000, 1);
        offer(h, 20_000, 2);
        assertEquals(Insertion.LATE, offer(h, 14_000, 9));
        assertEquals(Insertion.DUPLICATE, offer(h, 20_000, 9));
        assertEquals(Insertion.DUPLICATE, offer(h, 10_000, 9));
        assertEquals(2, h.count);
    }

    @Test
    void aReadingFarAheadOfTheSeriesIsAJump() {
        SeriesHistory h = new SeriesHistory(8, 1);
        offer(h, 0, 1);
        assertEquals(Insertion.JUMP, offer(h, JUMP + 1, 1));
        assertEquals(1, h.count);
    }

    @Test
    void aFullBufferKeepsTheNewestRows() {
        SeriesHistory h = new SeriesHistory(3, 1);
        for (int i = 1; i <= 5; i++) {
            offer(h, i * 1000L, i);
        }
        assertArrayEquals(new long[] {3000, 4000, 5000}, h.ts);
        assertEquals(Insertion.LATE, offer(h, 2500, 0));
    }

    @Test
    void normalisationMakesSeriesOfAnyScaleComparable() {
        SeriesHistory small = new SeriesHistory(10, 1);
        SeriesHistory large = new SeriesHistory(10, 1);
        for (int i = 0; i < 50; i++) {
            float v = (float) Math.sin(i / 3.0);
            offer(small, i * 1000L, v);
            offer(large, i * 1000L, 1000 + 500 * v);
        }
        assertArrayEquals(small.normalisedWindow(10), large.normalisedWindow(10), 1e-3f);
    }

    @Test
    void aConstantSeriesHasAFiniteScaleAndClippedInputs() {
        SeriesHistory h = new SeriesHistory(10, 1);
        for (int i = 0; i < 300; i++) {
            offer(h, i * 1000L, 5);
        }
        offer(h, 300_000, 6);
        float[] w = h.normalisedWindow(10);
        assertEquals(SeriesHistory.CLIP, w[w.length - 1], 1e-6);
    }

    @Test
    void trainingExamplesTargetTheChangeOverTheHorizon() {
        SeriesHistory h = new SeriesHistory(5, 1);
        for (int i = 0; i < 4; i++) {
            offer(h, i * 1000L, i);
        }
        assertNull(h.trainingExample(3, 2));
        offer(h, 4000, 4);
        float[][] ex = h.trainingExample(3, 2);
        double s = h.scale(0);
        // Step 0 holds value 0: changes to values 1 and 2.
        assertEquals(1 / s, ex[1][0], 1e-5);
        assertEquals(2 / s, ex[1][1], 1e-5);
        assertEquals(6, ex[1].length);
    }

    @Test
    void calendarInputsFollowEachRowAndLeaveTheTargetsAlone() {
        SeriesHistory h = new SeriesHistory(5, 1);
        long hour = 3_600_000L;
        for (int i = 0; i < 5; i++) {
            offer(h, i * 6 * hour, i); // from Thursday 1970-01-01 00:00 UTC, every 6 hours
        }
        float[][] plain = h.trainingExample(3, 2);
        float[][] ex = h.trainingExample(3, 2, CalendarInputs.COLUMNS);
        assertArrayEquals(plain[1], ex[1]);
        assertEquals(3 * 5, ex[0].length);
        for (int r = 0; r < 3; r++) {
            assertEquals(plain[0][r], ex[0][r * 5]);
            float[] expected = new float[4];
            CalendarInputs.write(r * 6 * hour, 6 * hour, expected, 0);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(ex[0], r * 5 + 1, r * 5 + 5));
        }
        assertEquals(-1, ex[0][2 * 5 + 2], 1e-6, "row 2 is at 12:00, half-way through the day");
        float[] window = h.normalisedWindow(2, CalendarInputs.COLUMNS);
        assertEquals(2 * 5, window.length);
        assertEquals(h.normalisedWindow(2)[1], window[5]);
    }
}
