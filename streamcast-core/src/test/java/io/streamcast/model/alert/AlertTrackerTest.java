package io.streamcast.model.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {

    private static final long MIN = 60_000L;
    private static final String SERIES = "pump-17";

    /**
     * Threshold 0.99 (critical 0.99007: twice the surprise), reset 0.9, resolve after 5 min, 30 min
     * cool-down, no periodic updates.
     */
    private final AlertConfig config = new AlertConfig(0.99, 0.9, 5 * MIN, 30 * MIN, 0.0, 0.0, 0);

    @Test
    void opensOnceWhileScoreStaysHigh() {
        Run run = new Run(new AlertTracker(config));
        for (int i = 0; i < 20; i++) {
            run.reading(i * MIN, 0.99005, 90);
        }
        assertEquals(List.of(AlertStatus.OPEN), run.statuses());
        AlertEvent open = run.events.get(0);
        assertEquals(Severity.WARNING, open.severity());
        assertEquals(0, open.durationMs());
    }

    @Test
    void updatesWhenSeverityRises() {
        Run run = new Run(new AlertTracker(config));
        run.reading(0, 0.99005, 90);
        run.reading(MIN, 0.99005, 91);
        run.reading(2 * MIN, 0.9995, 120); // WARNING -> CRITICAL
        run.reading(3 * MIN, 0.9999, 130); // still CRITICAL: no news
        run.reading(4 * MIN, 0.99005, 95); // back to WARNING band: not a rise
        assertEquals(List.of(AlertStatus.OPEN, AlertStatus.UPDATE), run.statuses());
        AlertEvent update = run.events.get(1);
        assertEquals(Severity.CRITICAL, update.severity());
        assertEquals(2 * MIN, update.durationMs());
        assertTrue(update.reason().contains("severity rose to CRITICAL"), update.reason());
    }

    @Test
    void updatesAtMostEveryNReadingsWhileElevated() {
        AlertConfig every5 = new AlertConfig(0.99, 0.9, 5 * MIN, 30 * MIN, 0.0, 0.0, 5);
        Run run = new Run(new AlertTracker(every5));
        for (int i = 0; i < 16; i++) {
            run.reading(
                    i * MIN,
                    i % 2 == 0 ? 0.99005 : 0.95,
                    90); // 0.95: in the hysteresis band, still elevated
        }
        assertEquals(
                List.of(
                        AlertStatus.OPEN,
                        AlertStatus.UPDATE,
                        AlertStatus.UPDATE,
                        AlertStatus.UPDATE),
                run.statuses());
        assertEquals(
                List.of(0L, 5 * MIN, 10 * MIN, 15 * MIN),
                run.events.stream().map(AlertEvent::ts).toList());
    }

    @Test
    void resolvesOnlyAfterQuietPeriodBelowReset() {
        Run run = new Run(new AlertTracker(config));
        run.reading(0, 0.99005, 90);
        run.reading(1 * MIN, 0.5, 50); // quiet starts
        run.reading(4 * MIN, 0.5, 50);
        run.reading(5 * MIN, 0.95, 60); // hysteresis band: not normal, the quiet run restarts
        run.reading(6 * MIN, 0.5, 50);
        run.reading(10 * MIN, 0.5, 50); // 4 min quiet: not yet
        assertEquals(List.of(AlertStatus.OPEN), run.statuses());
        run.reading(11 * MIN, 0.2, 48); // 5 min quiet: resolve
        assertEquals(List.of(AlertStatus.OPEN, AlertStatus.RESOLVE), run.statuses());
        AlertEvent resolve = run.events.get(1);
        assertEquals(11 * MIN, resolve.durationMs());
        assertEquals(
                "back to normal for 5m 0s (anomaly score 0.2 below reset 0.9); value 48.0, expected 47.6;"
                        + " alert lasted 11m 0s",
                resolve.reason());
    }

    @Test
    void flappingSensorGivesOneAlertId() {
        Run run = new Run(new AlertTracker(config));
        long t = 0;
        for (int flap = 0; flap < 50; flap++) {
            run.reading(t, 0.999, 95); // spike
            run.reading(t + MIN, 0.1, 47); // normal ...
            run.reading(t + 7 * MIN, 0.1, 47); // ... long enough to resolve
            t += 10 * MIN; // next spike 3 min after resolving: inside the cool-down
        }
        Set<String> ids = run.events.stream().map(AlertEvent::alertId).collect(Collectors.toSet());
        assertEquals(Set.of(SERIES + "-0"), ids);
        assertTrue(run.events.stream().allMatch(e -> e.openedAt() == 0));
        AlertEvent reopen = run.events.get(2);
        assertEquals(AlertStatus.OPEN, reopen.state());
        assertTrue(
                reopen.reason().startsWith("re-opened (1st time, 3m 0s after resolving)"),
                reopen.reason());
    }

    @Test
    void reopeningAfterCooldownGetsNewId() {
        Run run = new Run(new AlertTracker(config));
        run.reading(0, 0.99005, 90);
        run.reading(MIN, 0.1, 47);
        run.reading(6 * MIN, 0.1, 47); // resolved at 6 min
        run.reading(37 * MIN, 0.99005, 90); // 31 min later: outside the 30 min cool-down
        assertEquals(
                List.of(AlertStatus.OPEN, AlertStatus.RESOLVE, AlertStatus.OPEN), run.statuses());
        assertEquals(SERIES + "-0", run.events.get(0).alertId());
        assertEquals(SERIES + "-" + 37 * MIN, run.events.get(2).alertId());
    }

    @Test
    void tinyDeviationsDoNotAlert() {
        AlertConfig gated = new AlertConfig(0.99, 0.9, 5 * MIN, 30 * MIN, 2.0, 0.05, 0);
        Run run = new Run(new AlertTracker(gated));
        run.reading(0, 0.9999, 47.6 + 1.5); // 1.5 < 2.0 absolute
        run.reading(MIN, 0.9999, 1000.0 + 0, 1040.0); // 40 abs but 3.8% < 5% relative
        assertEquals(List.of(), run.statuses());
        run.reading(2 * MIN, 0.9999, 1060.0, 1000.0); // 60 abs and 6% relative
        assertEquals(List.of(AlertStatus.OPEN), run.statuses());
    }

    @Test
    void alertIdIsStableAndDeterministic() {
        List<AlertEvent> first = replay(new Random(5));
        List<AlertEvent> second = replay(new Random(5));
        assertTrue(first.size() > 3, "the replay produces events: " + first.size());
        assertEquals(first, second);
        for (AlertEvent e : first) {
            assertEquals(SERIES + "-" + e.openedAt(), e.alertId());
        }
    }

    @Test
    void reasonStatesValueBandScoreAndDuration() {
        Run run = new Run(new AlertTracker(new AlertConfig(0.99, 0.9, 5 * MIN, 30 * MIN, 0, 0, 3)));
        run.tracker
                .onReading(SERIES, run.state, new ScoredReading(0, 0.99005, 80.0, 47.6, 40.2, 55.0))
                .ifPresent(run.events::add);
        for (long s = 1; s <= 3; s++) {
            run.tracker
                    .onReading(
                            SERIES,
                            run.state,
                            new ScoredReading(s * 66_667, 0.99006, 93.1, 47.6, 40.2, 55.0))
                    .ifPresent(run.events::add);
        }
        assertEquals(
                "value 80.0 above expected band [40.2, 55.0] (expected 47.6), anomaly score 0.99005",
                run.events.get(0).reason());
        assertEquals(
                "value 93.1 above expected band [40.2, 55.0] (expected 47.6), anomaly score 0.99006, for 3m 20s",
                run.events.get(1).reason());
    }

    @Test
    void configValidationNamesTheBadField() {
        assertField("threshold", () -> new AlertConfig(1.5, 0.9, 0, 0, 0, 0, 0));
        assertField("resetThreshold", () -> new AlertConfig(0.99, 0.99005, 0, 0, 0, 0, 0));
        assertField("resolveAfterMs", () -> new AlertConfig(0.99, 0.9, -1, 0, 0, 0, 0));
        assertField("cooldownMs", () -> new AlertConfig(0.99, 0.9, 0, -1, 0, 0, 0));
        assertField("minAbsDeviation", () -> new AlertConfig(0.99, 0.9, 0, 0, Double.NaN, 0, 0));
        assertField("minRelDeviation", () -> new AlertConfig(0.99, 0.9, 0, 0, 0, -0.1, 0));
        assertField("updateEvery", () -> new AlertConfig(0.99, 0.9, 0, 0, 0, 0, -2));
    }

    @Test
    void stateHoldsOnlyPrimitivesAndStrings() {
        for (Field f : AlertTrackerState.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            assertTrue(
                    Modifier.isPublic(f.getModifiers()),
                    f.getName() + " is public for Flink's POJO serializer");
            assertTrue(
                    f.getType().isPrimitive() || f.getType() == String.class,
                    f.getName() + " is " + f.getType());
        }
    }

    private static void assertField(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains("AlertConfig." + field + " "), e.getMessage());
    }

    private List<AlertEvent> replay(Random rnd) {
        Run run =
                new Run(new AlertTracker(new AlertConfig(0.99, 0.9, 5 * MIN, 30 * MIN, 0, 0, 10)));
        for (int i = 0; i < 2000; i++) {
            double score =
                    rnd.nextDouble() < 0.01
                            ? 0.99 + rnd.nextDouble() * 0.01
                            : rnd.nextDouble() * 0.95;
            run.reading(i * MIN, score, 47.6 + rnd.nextGaussian() * 10);
        }
        return run.events;
    }

    /** Feeds one series through a tracker and collects what it emits. */
    private static final class Run {
        final AlertTracker tracker;
        final AlertTrackerState state;
        final List<AlertEvent> events = new ArrayList<>();

        Run(AlertTracker tracker) {
            this.tracker = tracker;
            this.state = tracker.initial();
        }

        void reading(long ts, double score, double actual) {
            reading(ts, score, actual, 47.6);
        }

        void reading(long ts, double score, double actual, double expected) {
            tracker.onReading(
                            SERIES,
                            state,
                            new ScoredReading(
                                    ts, score, actual, expected, expected - 7.4, expected + 7.4))
                    .ifPresent(events::add);
        }

        List<AlertStatus> statuses() {
            return events.stream().map(AlertEvent::state).toList();
        }
    }
}
