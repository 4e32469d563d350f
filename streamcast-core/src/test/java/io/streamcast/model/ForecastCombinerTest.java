package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The combiner on seeded synthetic series with a known optimum: it serves the best candidate (or a
 * better blend), never clearly worse than repeat-last, and finds the season from the sampling
 * interval.
 */
class ForecastCombinerTest {
    static final long MINUTE = 60_000;

    /** Served one-step MAE over readings from {@code from} on, and repeat-last's, of a series. */
    static double[] replay(
            ForecastCombiner c,
            long stepMillis,
            double[] y,
            IntToDoubleFunction networkFor,
            int from) {
        CombinerState st = null;
        double[] served = new double[1];
        String[] source = new String[1];
        double pendingServed = Double.NaN;
        double servedAbs = 0;
        double lastAbs = 0;
        int n = 0;
        for (int t = 0; t < y.length; t++) {
            st = c.ensure(st, stepMillis, 1);
            if (t >= from && !Double.isNaN(pendingServed)) {
                servedAbs += Math.abs(y[t] - pendingServed);
                lastAbs += Math.abs(y[t] - y[t - 1]);
                n++;
            }
            c.observe(st, y[t]);
            double[] network = {networkFor.applyAsDouble(t)};
            c.serve(st, y[t], network, served, source);
            c.remember(st, network);
            pendingServed = served[0];
        }
        return new double[] {servedAbs / n, lastAbs / n};
    }

    static double[] dailySine(int n, int perDay, double sigma, long seed) {
        Random r = new Random(seed);
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = signal(t, perDay) + sigma * r.nextGaussian();
        }
        return y;
    }

    static double signal(int t, int perDay) {
        return 50 + 10 * Math.sin(2 * Math.PI * t / perDay);
    }

    @Test
    void theSeasonIsOneDayOfReadingsWhenThatIsAUsableCount() {
        ForecastCombiner c = new ForecastCombiner(0, 1440, 200);
        assertEquals(288, c.season(5 * MINUTE));
        assertEquals(24, c.season(60 * MINUTE));
        assertEquals(1440, c.season(MINUTE));
        assertEquals(0, c.season(1000), "a day of 1 s readings is longer than the cap");
        assertEquals(0, c.season(24 * 60 * MINUTE), "one reading a day has no daily season");
        assertEquals(7, new ForecastCombiner(7, 1440, 200).season(1000), "configured wins");
        assertEquals(0, new ForecastCombiner(0, 0, 200).season(5 * MINUTE), "cap 0: off");
    }

    @Test
    void aGoodNetworkOnANoisyDailySineIsServedWithinFifteenPercentOfTheNoiseFloor() {
        // 5-minute readings, σ 0.8: the floor of a one-step forecast is σ·sqrt(2/π) = 0.638 MAE.
        double sigma = 0.8;
        double[] y = dailySine(5000, 288, sigma, 26);
        // A network that has learned the cycle, with a small error of its own.
        Random r = new Random(5);
        double[] mae =
                replay(
                        new ForecastCombiner(0, 1440, 200),
                        5 * MINUTE,
                        y,
                        t -> signal(t + 1, 288) + 0.2 * r.nextGaussian(),
                        1000);
        double floor = sigma * Math.sqrt(2 / Math.PI);
        assertTrue(mae[0] <= 1.15 * floor, "served " + mae[0] + " vs floor " + floor);
        assertTrue(mae[0] < 0.8 * mae[1], "served " + mae[0] + " vs repeat-last " + mae[1]);
    }

    @Test
    void aUselessNetworkIsNeverServedWorseThanRepeatLast() {
        // A random walk: repeat-last is optimal; the network says noise, seasonal-naive a day ago.
        Random r = new Random(11);
        double[] y = new double[6000];
        for (int t = 1; t < y.length; t++) {
            y[t] = y[t - 1] + r.nextGaussian();
        }
        Random noise = new Random(12);
        double[] mae =
                replay(
                        new ForecastCombiner(0, 1440, 200),
                        5 * MINUTE,
                        y,
                        t -> y[t] + 3 * noise.nextGaussian(),
                        300);
        assertTrue(mae[0] <= 1.02 * mae[1], "served " + mae[0] + " vs repeat-last " + mae[1]);
    }

    @Test
    void seasonalNaiveIsServedWhereItIsBest() {
        // A noiseless daily pattern with sharp changes: seasonal-naive is exact, the others are
        // not.
        double[] y = new double[24 * 40];
        for (int t = 0; t < y.length; t++) {
            y[t] = (t % 24) < 8 ? 5 : ((t % 24) < 16 ? 20 : 12);
        }
        ForecastCombiner c = new ForecastCombiner(0, 1440, 50);
        double[] mae = replay(c, 60 * MINUTE, y, t -> y[t] + 1, 24 * 20);
        assertTrue(mae[0] < 0.05 * mae[1], "served " + mae[0] + " vs repeat-last " + mae[1]);
    }

    @Test
    void repeatLastIsServedUntilEnoughForecastsWereChecked() {
        ForecastCombiner c = new ForecastCombiner(0, 1440, 200);
        CombinerState st = c.ensure(null, MINUTE, 2);
        double[] mean = new double[2];
        String[] source = new String[2];
        c.observe(st, 3.0);
        c.serve(st, 3.0, new double[] {100, 200}, mean, source);
        assertArrayEquals(new double[] {3, 3}, mean);
        assertArrayEquals(new String[] {"repeat-last", "repeat-last"}, source);
    }

    @Test
    void theSeasonIsSettledByTheSecondReadingAndThenKeptThroughGaps() {
        ForecastCombiner c = new ForecastCombiner(0, 1440, 200);
        CombinerState first = c.ensure(null, MINUTE, 1);
        assertEquals(1440, first.season);
        c.observe(first, 1);
        c.remember(first, new double[] {1});
        CombinerState second = c.ensure(first, 5 * MINUTE, 1);
        assertEquals(288, second.season);
        assertEquals(1, second.valuesCount, "the first reading is carried over");
        assertEquals(1, second.pendingCount, "and the forecast made after it");
        c.observe(second, 2);
        assertSame(second, c.ensure(second, 7 * MINUTE, 1), "a gap does not reset it");
    }

    @Test
    void minimumVarianceWeightsAreNonNegativeAndSumToOne() {
        double[] w = new double[3];
        // Independent errors of variances 1, 2 and 4: weights proportional to 1/variance.
        ForecastCombiner.minimumVariance(new double[][] {{1, 0, 0}, {0, 2, 0}, {0, 0, 4}}, 3, w);
        assertArrayEquals(new double[] {4 / 7.0, 2 / 7.0, 1 / 7.0}, w, 1e-12);
        // The second is the first plus independent noise: it adds nothing, so it gets no weight.
        ForecastCombiner.minimumVariance(new double[][] {{1, 1, 0}, {1, 2, 0}, {0, 0, 1e9}}, 3, w);
        assertEquals(1, w[0], 1e-6);
        assertEquals(0, w[1], 1e-12);
        assertEquals(1, w[0] + w[1] + w[2], 1e-12);
    }
}
