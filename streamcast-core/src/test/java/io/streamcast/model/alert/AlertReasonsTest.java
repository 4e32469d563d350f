package io.streamcast.model.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An alert's reason makes sense on its own: the value and the band when it left the band, else what
 * the scoring channel found unusual on this series.
 */
class AlertReasonsTest {
    @Test
    void aValueInsideTheBandSaysWhatIsUnusualInstead() {
        assertEquals(
                "value 50.0 is inside the expected band [40.2, 55.0] (expected 47.6), but the readings"
                        + " have kept coming in above their forecasts for longer than is usual on this"
                        + " series: the level has moved; anomaly score 0.995; channel change: tail"
                        + " probability 3.2e-07 (surprise 6.50)",
                AlertReasons.deviation(
                        new ScoredReading(0, 0.995, 50.0, 47.6, 40.2, 55.0, 6.5, "change")));
        assertEquals(
                "value 45.0 is inside the expected band [40.2, 55.0] (expected 45.0), but the value has"
                        + " repeated for longer than this series' own runs make plausible: a stuck"
                        + " signal looks like this; anomaly score 0.4; channel flat: tail probability"
                        + " 1.0e-05 (surprise 5.00)",
                AlertReasons.deviation(
                        new ScoredReading(0, 0.4, 45.0, 45.0, 40.2, 55.0, 5.0, "flat")));
        assertEquals(
                "value 50.0 is inside the expected band [40.2, 55.0] (expected 47.6), but the recent"
                        + " readings have missed their forecasts by more than is usual on this series;"
                        + " anomaly score 0.3; channel sustained: tail probability 1.0e-05 (surprise"
                        + " 5.00)",
                AlertReasons.deviation(
                        new ScoredReading(0, 0.3, 50.0, 47.6, 40.2, 55.0, 5.0, "sustained")));
        assertEquals(
                "value 80.0 above expected band [40.2, 55.0] (expected 47.6), anomaly score 0.995",
                AlertReasons.deviation(new ScoredReading(0, 0.995, 80.0, 47.6, 40.2, 55.0)));
    }
}
