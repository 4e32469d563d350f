package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SustainedChannelTest {

    private final SustainedChannel channel = new SustainedChannel(10);
    private final ChannelReadings readings = new ChannelReadings(100, 8640);

    private void calm(Random rnd, int n) {
        for (int i = 0; i < n; i++) {
            channel.observe(readings.next(50 + rnd.nextGaussian(), 50));
        }
    }

    @Test
    void noEvidenceDuringTheWarmUp() {
        Random rnd = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(0.0, channel.observe(readings.next(50 + 100 * rnd.nextGaussian(), 50)));
        }
    }

    @Test
    void aSustainedMisfitGathersEvidenceAndExplainsIt() {
        calm(new Random(2), 2000);
        double calmEvidence = channel.observe(readings.next(50.5, 50));
        double evidence = 0;
        for (int i = 0; i < 10; i++) {
            evidence = channel.observe(readings.next(56, 50));
        }
        assertTrue(evidence > 20 && evidence > 10 * calmEvidence, "evidence " + evidence);
        assertEquals(6.0, channel.statistic(), 1e-5, "the window's mean absolute residual");
        assertTrue(channel.reference() > 0.5 && channel.reference() < 1.2, "~E|N(0,1)|");
    }

    @Test
    void theRingIsReSummedEveryLap() {
        calm(new Random(3), 1230); // 123 laps of the ring
        double sum = 0;
        for (float v : channel.recent) {
            sum += v;
        }
        assertEquals(sum, channel.recentSum, "no rounding carried over from earlier laps");
    }

    @Test
    void aCopyIsDeep() {
        calm(new Random(4), 200);
        SustainedChannel copy = channel.copy();
        channel.observe(readings.next(1e6, 0));
        assertTrue(copy.meanOfMeans != channel.meanOfMeans);
        assertTrue(copy.recent != channel.recent);
    }
}
