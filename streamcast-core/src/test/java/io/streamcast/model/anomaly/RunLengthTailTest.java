package io.streamcast.model.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunLengthTailTest {

    @Test
    void independentRepeatsGiveTheGeometricTailAtEveryLength() {
        double q = 0.3;
        float[] shares = RunLengthTail.geometric(q);
        for (int n = 2; n <= 40; n++) {
            assertEquals((n - 1) * Math.log(q), RunLengthTail.logTail(shares, 0, n), 1e-4 * n);
        }
    }

    @Test
    void aRunLongerThanAnyOnRecordFallsOnAtTheRateOfTheLastTwoBins() {
        // Runs of up to 8 are common (a quarter of readings stand at position 8 or later),
        // none longer.
        float[] shares = new float[RunLengthTail.BINS];
        shares[0] = 0.6f; // >= 2
        shares[1] = 0.4f; // >= 4
        shares[2] = 0.25f; // >= 8
        double at8 = RunLengthTail.logTail(shares, 0, 8);
        double at16 = RunLengthTail.logTail(shares, 0, 16);
        double at24 = RunLengthTail.logTail(shares, 0, 24);
        assertEquals(Math.log(0.25), at8, 1e-6);
        double slope = (Math.log(0.25) - Math.log(0.4)) / 4;
        assertEquals(Math.log(0.25) + 8 * slope, at16, 1e-6);
        assertEquals(Math.log(0.25) + 16 * slope, at24, 1e-6);
        assertTrue(at24 < at16 && at16 < at8);
    }

    @Test
    void aSeriesThatNeverRepeatedIsFlooredAtOneRepeatInItsRecord() {
        float[] shares = new float[RunLengthTail.BINS];
        // 1,000 readings, no repeat: a run of 3 is (1/1000)^2.
        assertEquals(2 * Math.log(1e-3), RunLengthTail.logTail(shares, 1e-3, 3), 1e-9);
    }

    @Test
    void aStateRestoredFromBeforeTheRecordStartsItFromItsRepeatRate() {
        AnomalyScorer scorer = new AnomalyScorer(AnomalyScorerConfig.defaults());
        // As Flink restores a savepoint written before the field existed: no run-length record.
        ScorerState old = new ScorerState();
        old.recent = new float[AnomalyScorerConfig.defaults().shortWindow()];
        old.count = 500;
        old.residualScale = 1;
        old.repeatRate = 1.0 / 3;
        old.lastValue = 1;
        ScorerMemory s = old.upgrade();
        Verdict v = scorer.score(s, 7, 7);
        assertTrue(Double.isFinite(v.score()));
        assertEquals(RunLengthTail.BINS, s.flat.runShares.length);
    }
}
