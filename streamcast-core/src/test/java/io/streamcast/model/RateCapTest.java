package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cap on samples a second, on an injected clock. */
class RateCapTest {
    static final long MS = 1_000_000L;

    static int taken(RateCap cap, int offers) {
        int n = 0;
        for (int i = 0; i < offers; i++) {
            if (cap.tryTake()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void passesAtMostTheRateWithABurstOfOneSecond() {
        long[] now = {0};
        RateCap cap = new RateCap(500, () -> now[0]);
        assertEquals(500, taken(cap, 10_000), "one second's burst");
        now[0] += 100 * MS;
        assertEquals(50, taken(cap, 10_000), "then the rate");
        now[0] += 10_000 * MS;
        assertEquals(500, taken(cap, 10_000), "idle time saves up one second's worth, no more");
    }

    @Test
    void belowTheCapEverythingPasses() {
        long[] now = {0};
        RateCap cap = new RateCap(1000, () -> now[0]);
        int passed = 0;
        for (int i = 0; i < 10_000; i++) {
            now[0] += 2 * MS; // 500 offers a second
            passed += cap.tryTake() ? 1 : 0;
        }
        assertEquals(10_000, passed);
    }

    @Test
    void aCapBelowOneASecondStillPassesSome() {
        long[] now = {0};
        RateCap cap = new RateCap(0.5, () -> now[0]);
        assertTrue(cap.tryTake());
        now[0] += 2000 * MS;
        assertTrue(cap.tryTake());
    }
}
