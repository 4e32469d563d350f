package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FlatChannelTest {

    private final FlatChannel channel = FlatChannel.fresh();
    private final ChannelReadings readings = new ChannelReadings(100, 8640);

    @Test
    void aStuckValueOnASeriesThatNeverRepeatsIsFoundWithinAFewReadings() {
        Random rnd = new Random(6);
        for (int i = 0; i < 2000; i++) {
            channel.observe(readings.next(50 + rnd.nextGaussian(), 50));
        }
        double evidence = 0;
        for (int i = 0; i < 4; i++) {
            evidence = channel.observe(readings.next(47.25, 50));
        }
        assertTrue(evidence > 15, "evidence " + evidence);
        assertEquals(4.0, channel.statistic(), "the run");
        assertEquals(0.0, channel.reference(), 1e-3, "the series never repeated");
    }

    @Test
    void noEvidenceWithoutARun() {
        Random rnd = new Random(7);
        for (int i = 0; i < 500; i++) {
            assertEquals(0.0, channel.observe(readings.next(rnd.nextGaussian(), 0)));
        }
        assertEquals(1, channel.run);
    }

    @Test
    void aSeriesFlatByNatureExpectsItsRuns() {
        double most = 0;
        for (int i = 0; i < 3000; i++) {
            // Counts that sit at zero for 50 readings in every 100.
            double e = channel.observe(readings.next(i % 100 < 50 ? 0 : i % 7, 1));
            if (i > 1000) {
                most = Math.max(most, e);
            }
        }
        assertTrue(most < 5, "largest evidence on runs the series always has " + most);
    }
}
