package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PercentileTest {
    @Test
    void nearestRankOfASortedSample() {
        long[] sorted = {10, 20, 30, 40};
        assertEquals(10, Percentile.of(sorted, 0));
        assertEquals(30, Percentile.of(sorted, 0.5));
        assertEquals(40, Percentile.of(sorted, 0.99));
        assertEquals(0.00003, Percentile.millis(sorted, 0.5), 1e-15);
        assertTrue(Double.isNaN(Percentile.millis(new long[0], 0.5)));
    }
}
