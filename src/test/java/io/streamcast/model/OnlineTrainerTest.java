package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.config.StreamcastConfig.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnlineTrainerTest {
    static final int WINDOW = 16;
    static final NetworkSpec SPEC = new NetworkSpec("lstm", 1, 16, 1, 1, 42, 0.01, 1.0, 0);
    static final TrainingConfig TRAINING = new TrainingConfig(true, 1.0, 512, 128, 32, 30, 0.01, 1.0, 0.2, false);

    /** Examples from a noisy sine: the change to the next reading is predictable from the phase. */
    static List<float[][]> sineExamples(int count, long seed) {
        Random r = new Random(seed);
        SeriesHistory h = new SeriesHistory(WINDOW + 1, 1);
        List<float[][]> out = new ArrayList<>();
        for (int t = 0; out.size() < count; t++) {
            float v = (float) (10 + 5 * Math.sin(2 * Math.PI * t / 24.0) + 0.2 * r.nextGaussian());
            h.offer(t * 1000L, new float[] {v}, 0, Long.MAX_VALUE, 200);
            float[][] ex = h.trainingExample(WINDOW, 1);
            if (ex != null) {
                out.add(ex);
            }
        }
        return out;
    }

    @Test
    void roundsOnALearnableSignalPromoteModelsWithLowerValidationLoss() {
        OnlineTrainer trainer = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        List<TrainingRound> promoted = new ArrayList<>();
        for (float[][] ex : sineExamples(640, 1)) {
            TrainingRound round = trainer.offer(ex[0], ex[1]);
            if (round != null && round.promoted()) {
                promoted.add(round);
            }
        }
        assertFalse(promoted.isEmpty(), "no round was promoted");
        TrainingRound first = promoted.get(0);
        TrainingRound last = promoted.get(promoted.size() - 1);
        assertTrue(first.validationLoss() < first.servingValidationLoss());
        assertTrue(last.validationLoss() < 0.5 * first.servingValidationLoss(),
                "validation loss " + last.validationLoss() + " vs initial " + first.servingValidationLoss());
        assertEquals(promoted.size(), trainer.version());
        assertTrue(Double.isFinite(last.gradientNorm()) && last.gradientNorm() > 0);
    }

    @Test
    void aRoundWhoseLossIsNaNIsDiscardedAndTheServingModelStays() {
        OnlineTrainer trainer = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        float[] before = trainer.servingParams();
        float[] nan = new float[WINDOW];
        Arrays.fill(nan, Float.NaN);
        TrainingRound round = null;
        for (float[][] ex : sineExamples(128, 2)) {
            round = trainer.offer(ex[0], nan);
        }
        assertNotNull(round);
        assertFalse(round.promoted());
        assertTrue(round.reason().startsWith("discarded"), round.reason());
        assertEquals(0, trainer.version());
        assertArrayEquals(before, trainer.servingParams());
    }

    @Test
    void aRestoredTrainerContinuesExactlyWhereTheSnapshotWasTaken() {
        List<float[][]> examples = sineExamples(400, 3);
        OnlineTrainer a = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        for (float[][] ex : examples.subList(0, 200)) {
            a.offer(ex[0], ex[1]);
        }
        OnlineTrainer b = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        b.restore(a.snapshot());
        for (float[][] ex : examples.subList(200, 400)) {
            a.offer(ex[0], ex[1]);
            b.offer(ex[0], ex[1]);
        }
        assertEquals(a.version(), b.version());
        assertArrayEquals(a.servingParams(), b.servingParams());
        assertArrayEquals(a.snapshot(), b.snapshot());
    }
}
