package io.streamcast.model.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * An alert's reason leads with what opened it: the value when it left the band, else the anomaly
 * score.
 */
class AlertReasonsTest {
    @Test
    void aValueInsideTheBandLeadsWithTheScoreThatOpenedTheAlert() {
        assertEquals(
                "anomaly score 0.995 while the value 50.0 is inside the expected band [40.2, 55.0] (expected 47.6);"
                        + " channel cusum: tail probability 3.2e-07 (surprise 6.50)",
                AlertReasons.deviation(
                        new ScoredReading(0, 0.995, 50.0, 47.6, 40.2, 55.0, 6.5, "cusum")));
        assertEquals(
                "value 80.0 above expected band [40.2, 55.0] (expected 47.6), anomaly score 0.995",
                AlertReasons.deviation(new ScoredReading(0, 0.995, 80.0, 47.6, 40.2, 55.0)));
    }
}
