package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChangeChannelTest {

    private final ChangeChannel channel = new ChangeChannel();
    private final ChannelReadings readings = new ChannelReadings(100, 8640);
    private final Random rnd = new Random(5);

    private double observe(double level, double expected) {
        return channel.observe(
                readings.next(Math.round((level + rnd.nextGaussian()) * 100) / 100.0, expected));
    }

    @Test
    void aLevelTheForecastKeepsMissingIsAChangeOfSign() {
        for (int i = 0; i < 2000; i++) {
            observe(50, 50);
        }
        double evidence = 0;
        for (int i = 0; i < 30; i++) {
            evidence = observe(48.5, 50);
        }
        assertTrue(evidence > 15, "evidence " + evidence);
        assertTrue(channel.statistic() < 0, "the values fell: " + channel.statistic());
        assertTrue(channel.reference() > 0.3 && channel.reference() < 1.5, "a residual scale");
    }

    @Test
    void aSteadyBiasIsNotAChange() {
        double most = 0;
        for (int i = 0; i < 3000; i++) {
            double e = observe(51, 50);
            if (i > 500) {
                most = Math.max(most, e);
            }
        }
        assertTrue(most < 12, "largest evidence on a steady bias " + most);
    }

    @Test
    void aDetectionRestartsTheSumsAndTheHoldKeepsThemAtZero() {
        for (int i = 0; i < 2000; i++) {
            observe(50, 50);
        }
        for (int i = 0; i < 30; i++) {
            observe(53, 50);
        }
        assertTrue(channel.cusumUp > 0);
        channel.detected();
        assertEquals(0.0, channel.cusumUp);
        readings.held(true);
        double meanZ = channel.meanZ;
        for (int i = 0; i < 10; i++) {
            observe(53, 50);
            assertEquals(0.0, channel.cusumUp);
        }
        assertEquals(meanZ, channel.meanZ, "no bias learned from the anomaly itself");
    }

    @Test
    void aNewForecasterRestartsTheSumsAndSettlesBeforeItCounts() {
        readings.forecaster(1);
        for (int i = 0; i < 2000; i++) {
            observe(50, 50);
        }
        for (int i = 0; i < 5; i++) {
            observe(52, 50);
        }
        readings.forecaster(2);
        assertEquals(0.0, observe(52, 50), "settling: no evidence");
        assertEquals(2006 - 1, channel.swappedAt);
        assertEquals(2, channel.forecaster);
    }

    @Test
    void noEvidenceOnASeriesThatNeverMoved() {
        for (int i = 0; i < 500; i++) {
            assertEquals(0.0, channel.observe(readings.next(7, 7 + 1e-3 * (i % 5))));
        }
    }
}
