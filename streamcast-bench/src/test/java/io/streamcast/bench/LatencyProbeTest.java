package io.streamcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyProbeTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void compileTimeOfASecondIsTheGrowthOfTheCumulativeSamplesWithinIt() {
        List<long[]> samples =
                List.of(
                        new long[] {0, 1_000},
                        new long[] {SECOND / 2, 1_100},
                        new long[] {SECOND + SECOND / 5, 1_400},
                        new long[] {3 * SECOND, 1_450});

        assertEquals(0, LatencyProbe.compiledBy(samples, -1), "nothing sampled yet");
        assertEquals(
                100,
                LatencyProbe.compiledBy(samples, SECOND) - LatencyProbe.compiledBy(samples, 0));
        assertEquals(
                300,
                LatencyProbe.compiledBy(samples, 2 * SECOND)
                        - LatencyProbe.compiledBy(samples, SECOND));
        assertEquals(
                0,
                LatencyProbe.compiledBy(samples, 3 * SECOND - 1)
                        - LatencyProbe.compiledBy(samples, 2 * SECOND),
                "no sample in the third second");
        assertEquals(
                1_450,
                LatencyProbe.compiledBy(samples, 10 * SECOND),
                "the newest sample after the last");
    }
}
