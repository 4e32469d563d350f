package io.streamcast.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DemoDetectionsTest {
    private static final long HOUR = 3_600_000L;
    private static final long STEP = HOUR / 4;

    @Test
    void readingsLessThanTheWindowApartAreOneAnomalyCaughtByAnAlertUpToTheWindowAfterItsLast() {
        DemoDetections d = new DemoDetections(HOUR);
        // One anomaly of three readings on a, caught by an alert an hour after its last reading.
        d.injected("a", 0);
        d.injected("a", STEP);
        d.injected("a", 2 * STEP);
        d.opened("a", 2 * STEP + HOUR);
        // Two anomalies on b (two hours apart): an alert on the first only, and one on another
        // series at the time of the second.
        d.injected("b", 10 * HOUR);
        d.injected("b", 12 * HOUR);
        d.opened("b", 10 * HOUR + STEP);
        d.opened("a", 12 * HOUR);

        assertEquals(new DemoDetections.Caught(2, 3), d.caught());
        assertEquals(5, d.anomalousReadings());
        assertEquals(3, d.alertsOpened());
        // a's late alert is within an hour of its last injected reading; the one on a at 12 h is
        // not near any of a's.
        assertEquals(2, d.alertsNearInjected());
    }

    @Test
    void anAlertBeforeTheAnomalyOrAWindowTooLateCatchesNothing() {
        DemoDetections d = new DemoDetections(HOUR);
        d.injected("a", 5 * HOUR);
        d.opened("a", 5 * HOUR - 1);
        d.opened("a", 6 * HOUR + 1);
        assertEquals(new DemoDetections.Caught(0, 1), d.caught());
        assertEquals(0, d.alertsNearInjected());
    }
}
