package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DriftWeightingTest {
    @Test
    void withoutADriftSamplingIsUniformAndTheHoldoutUsual() {
        DriftWeighting w = new DriftWeighting();
        assertFalse(w.lasts());
        assertEquals(0, w.recent(1000, 512));
        assertEquals(102, w.holdout(102, 0, 0.2));
        SplitMix64 a = new SplitMix64(7);
        SplitMix64 b = new SplitMix64(7);
        for (int i = 0; i < 64; i++) {
            assertEquals(b.nextInt(410), DriftWeighting.pick(a, i % 32, 32, 410, 0), "as before");
        }
    }

    @Test
    void theNewRegimeBeginsAfterTheLastCalmCheck() {
        DriftWeighting w = new DriftWeighting();
        w.restarted(768);
        w.checked(0, false, 800);
        w.checked(0, false, 832);
        w.checked(2.1, false, 864);
        w.checked(5.3, true, 896);
        w.detected(896);
        assertTrue(w.lasts());
        assertEquals(832, w.since());
        assertEquals(64, w.recent(896, 512));
        assertEquals(DriftWeighting.MIN_HOLDOUT, w.holdout(102, 64, 0.2), "a fifth of 64 is less");
        assertEquals(60, w.holdout(102, 300, 0.2));
        assertEquals(102, w.holdout(102, 600, 0.2), "never more than usual");
    }

    @Test
    void halfOfEachBatchComesFromTheRecentWindowsTheRestUniformly() {
        SplitMix64 rng = new SplitMix64(3);
        int trainable = 480;
        int recent = 32;
        int recentFirst = 0;
        int recentSecond = 0;
        int batches = 2000;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < 32; i++) {
                int pick = DriftWeighting.pick(rng, i, 32, trainable, recent);
                assertTrue(pick >= 0 && pick < trainable);
                boolean isRecent = pick >= trainable - recent;
                if (i < 16) {
                    assertTrue(isRecent, "the first half is the recent windows'");
                    recentFirst++;
                } else if (isRecent) {
                    recentSecond++;
                }
            }
        }
        assertEquals(16 * batches, recentFirst);
        assertEquals(recent / (double) trainable, recentSecond / (16.0 * batches), 0.01);
    }

    @Test
    void aDriftEndsOnceItsWindowsAreHalfTheBuffer() {
        DriftWeighting w = new DriftWeighting();
        w.restarted(1000);
        w.detected(1100);
        w.beforeRound(1100, 512);
        assertTrue(w.lasts());
        w.beforeRound(1255, 512);
        assertTrue(w.lasts(), "255 of 512");
        w.beforeRound(1256, 512);
        assertFalse(w.lasts(), "256 of 512");
        assertEquals(102, w.holdout(102, 0, 0.2), "the usual hold-out again");
    }
}
