package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Adaptive conformal intervals ({@link SeriesMemory}): coverage stays near nominal when the noise
 * keeps changing, where a fixed-level sliding-window quantile falls short.
 */
class AdaptiveIntervalsTest {
    /**
     * Coverage after {@code from} of one-step intervals around a forecast of 0, for noise whose σ
     * switches between 1 and 4 every {@code regime} readings (and a level shift of 3 σ midway).
     */
    static double coverage(double rate, int n, int regime, int from, long seed) {
        Random r = new Random(seed);
        SeriesMemory m = new SeriesMemory(1, 1, 100, null);
        double half = Double.NaN;
        long covered = 0;
        long checked = 0;
        for (int t = 0; t < n; t++) {
            double sigma = (t / regime) % 2 == 0 ? 1 : 4;
            double y = sigma * r.nextGaussian() + (t > n / 2 ? 3 : 0);
            if (t >= from && !Double.isNaN(half)) {
                covered += Math.abs(y) <= half ? 1 : 0;
                checked++;
            }
            m.checkActual(y, 1, 0.1, rate);
            half = m.halfWidth(0, m.level(0, 0.9));
            m.remember(new double[] {0}, new double[] {half});
        }
        return (double) covered / checked;
    }

    @Test
    void coverageTracksTheNominalLevelThroughChangesOfNoiseAndLevel() {
        double adaptive = coverage(0.01, 20_000, 150, 1000, 3);
        double fixed = coverage(0, 20_000, 150, 1000, 3);
        assertEquals(0.9, adaptive, 0.02, "adaptive coverage " + adaptive);
        assertTrue(fixed < adaptive, "fixed " + fixed + " vs adaptive " + adaptive);
    }

    @Test
    void withoutChangesItStaysAtTheNominalLevel() {
        assertEquals(0.9, coverage(0.01, 10_000, Integer.MAX_VALUE, 500, 4), 0.02);
    }
}
