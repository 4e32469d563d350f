package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {
    /** Loss ratios around 1 with the spread of per-batch losses. */
    private static double noisy(Random r, double level) {
        return level * Math.exp(0.3 * r.nextGaussian());
    }

    @Test
    void aStationaryStreamRaisesNoAlarm() {
        PageHinkley ph = new PageHinkley(0.1, 5);
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            assertFalse(ph.add(noisy(r, 1)), "false alarm at " + i);
        }
    }

    @Test
    void aDoublingOfTheLossIsDetectedWithinAFewValues() {
        PageHinkley ph = new PageHinkley(0.1, 5);
        Random r = new Random(2);
        for (int i = 0; i < 500; i++) {
            assertFalse(ph.add(noisy(r, 1)));
        }
        int delay = -1;
        for (int i = 0; i < 100; i++) {
            if (ph.add(noisy(r, 2))) {
                delay = i;
                break;
            }
        }
        assertTrue(delay >= 0 && delay <= 10, "detected after " + delay + " values");
        assertEquals(0, ph.count, "starts over after an alarm");
    }

    @Test
    void aFallingLossIsNoDrift() {
        PageHinkley ph = new PageHinkley(0.1, 5);
        for (int i = 0; i < 1000; i++) {
            assertFalse(ph.add(i < 500 ? 1 : 0.5));
        }
    }

    @Test
    void nonFiniteValuesAreIgnoredAndBadSettingsRefused() {
        PageHinkley ph = new PageHinkley(0.1, 5);
        assertFalse(ph.add(Double.NaN));
        assertEquals(0, ph.count);
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(-1, 2));
        assertThrows(IllegalArgumentException.class, () -> new PageHinkley(0.1, 0));
    }

    @Test
    void againstAKnownMeanALevelThatWasHighFromTheStartIsAShift() {
        PageHinkley running = new PageHinkley(0.1, 5);
        PageHinkley known = new PageHinkley(0.1, 5, 1);
        int knownAt = -1;
        for (int i = 0; i < 100; i++) {
            assertFalse(running.add(2), "a constant is no change of the running mean");
            if (known.add(2) && knownAt < 0) {
                knownAt = i;
            }
        }
        assertEquals(5, knownAt, "0.9 above 1 + delta per value: past 5 at the sixth");
    }
}
