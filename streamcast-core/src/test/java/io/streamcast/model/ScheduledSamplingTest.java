package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScheduledSamplingTest {
    @Test
    void theProbabilityRisesLinearlyFromStartToEndOverTheRoundsThenStays() {
        ScheduledSampling s = new ScheduledSampling(0.1, 0.7, 4, 0);
        assertEquals(0.1, s.probability(0), 1e-12);
        assertEquals(0.25, s.probability(1), 1e-12);
        assertEquals(0.4, s.probability(2), 1e-12);
        assertEquals(0.7, s.probability(4), 1e-12);
        assertEquals(0.7, s.probability(1000), 1e-12);
        assertEquals(0, ScheduledSampling.off().probability(5), 0);
    }

    @Test
    void theSpanDefaultsToTheHorizonLessOneAndLeavesOneRealRow() {
        assertEquals(7, new ScheduledSampling(0, 1, 1, 0).maxRows(8, 48));
        assertEquals(3, new ScheduledSampling(0, 1, 1, 3).maxRows(8, 48));
        assertEquals(4, new ScheduledSampling(0, 1, 1, 0).maxRows(24, 5));
        assertEquals(0, new ScheduledSampling(0, 1, 1, 0).maxRows(1, 48));
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ScheduledSampling(0.5, 0.4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScheduledSampling(0, 1.5, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ScheduledSampling(0, 1, 0, 0));
    }

    private static float[][][] batch(int n, int rows, int horizon) {
        float[][] x = CellStepTest.randomWindows(n, rows, 1, 1);
        float[][] y = CellStepTest.randomWindows(n, rows, horizon, 2);
        return new float[][][] {x, y};
    }

    @Test
    void aDirectNetworkIsNeverFedItsOwnPredictionsAndDrawsNothing() {
        RecurrentNetwork direct =
                RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 4, 1, 4, 1, 0.01, 1, 0));
        float[][][] b = batch(8, 6, 4);
        float[][] x = b[0].clone();
        SplitMix64 rng = new SplitMix64(3);
        new ScheduledSampling(1, 1, 1, 0).apply(direct, x, b[1], 8, 6, 1.0, rng);
        assertEquals(3, rng.state());
        for (int i = 0; i < 8; i++) {
            assertSame(b[0][i], x[i]);
        }
    }

    @Test
    void anAutoregressiveNetworkIsFedItsOwnPredictionsInAboutAShareOfPOfTheWindowsReproducibly() {
        NetworkSpec spec =
                new NetworkSpec(Cell.LSTM, 1, 4, 1, 4, 1, 0.01, 1, 0, Decoder.AUTOREGRESSIVE, 0);
        RecurrentNetwork net = RecurrentNetwork.create(spec);
        ScheduledSampling s = new ScheduledSampling(0, 1, 1, 0);
        int n = 400;
        float[][][] b = batch(n, 6, 4);
        float[][] x1 = b[0].clone();
        float[][] y1 = b[1].clone();
        s.apply(net, x1, y1, n, 6, 0.3, new SplitMix64(9));
        float[][] x2 = b[0].clone();
        float[][] y2 = b[1].clone();
        s.apply(net, x2, y2, n, 6, 0.3, new SplitMix64(9));
        int replaced = 0;
        for (int i = 0; i < n; i++) {
            assertArrayEquals(x1[i], x2[i], 0f);
            assertArrayEquals(y1[i], y2[i], 0f);
            if (x1[i] != b[0][i]) {
                replaced++;
                assertNotSame(y1[i], b[1][i]);
                assertArrayEquals(
                        java.util.Arrays.copyOf(b[0][i], 3),
                        java.util.Arrays.copyOf(x1[i], 3),
                        0f,
                        "at most horizon - 1 = 3 of 6 rows replaced: the first three stay real");
            }
        }
        assertTrue(
                replaced > 0.2 * n && replaced < 0.4 * n,
                replaced + " of " + n + " replaced at p=0.3");
    }
}
