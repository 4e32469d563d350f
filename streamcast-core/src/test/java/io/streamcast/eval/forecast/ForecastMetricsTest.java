package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ForecastMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void errorsAreOnTheZScoreScaleNextToBothBaselinesOnTheSameTargets() {
        ForecastMetrics m = new ForecastMetrics(2, 0, 2);
        // Step 1: error 2 (1 on the z scale), repeat-last error 1 (0.5), no season yet (falls back
        // to repeat-last).
        m.add(0, 3, 0, 4, 1, 0, Double.NaN);
        // Step 1: exact, repeat-last error 2 (1), seasonal error 1 (0.5), actual outside the
        // interval.
        m.add(0, 1, 1.5, 2, 1, 3, 2);
        // Step 2: everything exact and covered.
        m.add(1, 0, -1, 1, 0, 0, 0);

        ForecastMetrics.Step first = m.step(0);
        assertEquals(1, first.step());
        assertEquals(2, first.n());
        assertEquals(0.5, first.mse(), EPS);
        assertEquals(0.5, first.mae(), EPS);
        assertEquals(Math.sqrt(0.5), first.rmse(), EPS);
        assertEquals(1 / 1.5, first.maseRepeatLast(), EPS, "model MAE over repeat-last MAE");
        assertEquals(1.0, first.maseSeasonal(), EPS);
        assertEquals((0.25 + 1) / 2, first.repeatLastMse(), EPS);
        assertEquals(0.75, first.repeatLastMae(), EPS);
        assertEquals((0.25 + 0.25) / 2, first.seasonalMse(), EPS);
        assertEquals(0.5, first.coverage(), EPS);

        ForecastMetrics.Step second = m.step(1);
        assertEquals(2, second.step());
        assertEquals(0, second.mse(), EPS);
        assertEquals(1, second.coverage(), EPS);

        ForecastMetrics.Step all = m.overall();
        assertEquals(0, all.step(), "step 0 stands for all steps");
        assertEquals(3, all.n());
        assertEquals(1 / 3.0, all.mse(), EPS, "weighted by count");
        assertEquals(2 / 3.0, all.coverage(), EPS);
        assertEquals(2, m.horizon());
    }

    @Test
    void aStepWithoutForecastsReportsZeroCountAndNoDivisionByZero() {
        ForecastMetrics.Step empty = new ForecastMetrics(1, 5, 1).step(0);
        assertEquals(0, empty.n());
        assertEquals(0, empty.mse(), EPS);
        assertEquals(0, empty.coverage(), EPS);
    }
}
