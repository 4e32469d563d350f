package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoSummaryTest {
    @Test
    void latencyPercentilesAreNearestRanksInWholeMilliseconds() {
        DemoSummary s = new DemoSummary();
        for (int ms = 100; ms >= 1; ms--) {
            s.latency(ms * 1_000_000L + 999_999);
        }
        assertEquals(100, s.latencies());
        assertEquals(51, s.latencyMillis(0.5));
        assertEquals(96, s.latencyMillis(0.95));
        assertEquals(100, s.latencyMillis(0.99));
        assertEquals(100, s.latencyMillis(1.0), "capped at the largest");
    }

    @Test
    void noLatencyHasNoPercentile() {
        assertThrows(IllegalArgumentException.class, () -> new DemoSummary().latencyMillis(0.5));
    }

    @Test
    void maeCountsOnlyTheSecondHalfOfTheStepsSeen() {
        DemoSummary s = new DemoSummary();
        for (int step = 0; step < 10; step++) {
            // Early forecasts are bad, later ones good; repeat-last is always 2 off.
            double mean = step < 5 ? 13 : 10.5;
            s.oneStep(step, mean, 8, 10);
        }
        DemoSummary.Mae mae = s.secondHalf();
        assertEquals(5, mae.n(), "steps 5..9 of 0..9");
        assertEquals(0.5, mae.model(), 1e-12);
        assertEquals(2, mae.repeatLast(), 1e-12);

        s.step(40); // a later forecast that could not be scored still moves the half
        DemoSummary.Mae none = s.secondHalf();
        assertEquals(0, none.n());
        assertTrue(Double.isNaN(none.model()));
    }
}
