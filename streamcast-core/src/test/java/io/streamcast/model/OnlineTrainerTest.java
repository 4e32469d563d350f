package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamcast.event.DriftCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class OnlineTrainerTest {
    static final int WINDOW = 16;
    static final NetworkSpec SPEC = new NetworkSpec(Cell.LSTM, 1, 16, 1, 1, 42, 0.01, 1.0, 0);
    static final TrainingSettings TRAINING =
            new TrainingSettings(512, 128, 32, 30, 0.2, ScheduledSampling.off());

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
        assertTrue(
                last.validationLoss() < 0.5 * first.servingValidationLoss(),
                "validation loss "
                        + last.validationLoss()
                        + " vs initial "
                        + first.servingValidationLoss());
        assertEquals(promoted.size(), trainer.version());
        assertTrue(Double.isFinite(last.gradientNorm()) && last.gradientNorm() > 0);
    }

    @Test
    void aPacedRoundRestsAfterEveryStepAndValidationPassAndComputesWhatAnUnpacedRoundDoes() {
        OnlineTrainer paced = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        OnlineTrainer unpaced = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        List<Long> rests = new ArrayList<>();
        for (float[][] ex : sineExamples(TRAINING.roundEvery(), 1)) {
            boolean due = paced.add(ex[0], ex[1]);
            assertEquals(due, unpaced.add(ex[0], ex[1]));
        }
        TrainingRound withPauses = paced.dueRound(rests::add);
        TrainingRound flatOut = unpaced.dueRound();
        // The serving model's validation pass, steps-per-round gradient steps, then the
        // candidate's validation pass.
        assertEquals(TRAINING.stepsPerRound() + 2, rests.size());
        assertTrue(rests.stream().allMatch(nanos -> nanos > 0), rests.toString());
        assertEquals(flatOut.promoted(), withPauses.promoted());
        assertEquals(flatOut.validationLoss(), withPauses.validationLoss());
        assertArrayEquals(unpaced.servingParams(), paced.servingParams());
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
        assertDiscarded(round, "discarded", trainer, before);
    }

    @Test
    void aRoundWhoseGradientExplodesIsDiscardedAndTheServingModelStays() {
        OnlineTrainer trainer = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        float[] before = trainer.servingParams();
        TrainingRound round = null;
        for (float[][] ex : sineExamples(128, 2)) {
            float[] diverging = ex[1].clone();
            Arrays.fill(
                    diverging,
                    1e6f); // finite, but far outside anything normalised: the loss stays finite
            round = trainer.offer(ex[0], diverging);
        }
        assertDiscarded(round, "exploded", trainer, before);
    }

    /**
     * The round was discarded for {@code reason}, and the trainer still serves its first
     * parameters.
     */
    private static void assertDiscarded(
            TrainingRound round, String reason, OnlineTrainer trainer, float[] before) {
        assertNotNull(round);
        assertFalse(round.promoted());
        assertTrue(
                round.reason().startsWith("discarded") && round.reason().contains(reason),
                round.reason());
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

    static final NetworkSpec AUTOREGRESSIVE =
            new NetworkSpec(Cell.LSTM, 1, 16, 1, 4, 42, 0.01, 1.0, 0, Decoder.AUTOREGRESSIVE, 0);
    static final TrainingSettings SAMPLED =
            new TrainingSettings(512, 64, 32, 10, 0.2, new ScheduledSampling(0.2, 0.8, 3, 0));

    @Test
    void anAutoregressiveTrainerWithScheduledSamplingRestoresExactlyWhereTheSnapshotWasTaken() {
        List<float[][]> examples = AutoregressiveDecoderTest.sineExamples(400, WINDOW, 4, 3);
        OnlineTrainer a = new OnlineTrainer(AUTOREGRESSIVE, SAMPLED, WINDOW);
        for (float[][] ex : examples.subList(0, 200)) {
            a.offer(ex[0], ex[1]);
        }
        assertEquals(3, a.rounds());
        OnlineTrainer b = new OnlineTrainer(AUTOREGRESSIVE, SAMPLED, WINDOW);
        b.restore(a.snapshot());
        assertEquals(3, b.rounds());
        for (float[][] ex : examples.subList(200, 400)) {
            a.offer(ex[0], ex[1]);
            b.offer(ex[0], ex[1]);
        }
        assertEquals(6, b.rounds());
        assertArrayEquals(a.servingParams(), b.servingParams());
        assertArrayEquals(a.snapshot(), b.snapshot());
    }

    @Test
    void formatOneAndTwoSnapshotsStillRestore() throws Exception {
        OnlineTrainer a = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        for (float[][] ex : sineExamples(300, 5)) {
            a.offer(ex[0], ex[1]);
        }
        // Format 3 is format 2 plus where a lasting drift began, after the round count; format 1
        // is format 2 without the round count that follows version, samples seen and samples
        // since a round.
        java.nio.ByteBuffer v3 = java.nio.ByteBuffer.wrap(a.snapshot());
        assertEquals(3, v3.getInt(0));
        int roundsAt = 4 + 8 + 8 + 4;
        byte[] v2 = new byte[v3.capacity() - 8];
        v3.get(0, v2, 0, roundsAt + 8);
        v3.get(roundsAt + 16, v2, roundsAt + 8, v2.length - roundsAt - 8);
        java.nio.ByteBuffer.wrap(v2).putInt(0, 2);
        byte[] v1 = new byte[v3.capacity() - 16];
        v3.get(0, v1, 0, roundsAt);
        v3.get(roundsAt + 16, v1, roundsAt, v1.length - roundsAt);
        java.nio.ByteBuffer.wrap(v1).putInt(0, 1);

        OnlineTrainer b = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        b.restore(v1);
        assertEquals(a.version(), b.version());
        assertEquals(a.samplesSeen(), b.samplesSeen());
        assertEquals(0, b.rounds());
        assertArrayEquals(a.servingParams(), b.servingParams());

        OnlineTrainer c = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        c.restore(v2);
        assertEquals(a.rounds(), c.rounds());
        assertFalse(c.driftLasts(), "format 2 knew no drift");
        assertArrayEquals(a.snapshot(), c.snapshot(), "format 2 restores all it held");

        byte[] unknown = a.snapshot();
        java.nio.ByteBuffer.wrap(unknown).putInt(0, 99);
        IllegalStateException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalStateException.class,
                        () -> new OnlineTrainer(SPEC, TRAINING, WINDOW).restore(unknown));
        assertTrue(e.getMessage().contains("format 99"), e.getMessage());
    }

    @Test
    void aRoundGoesOnWhileValidationLossFallsAndOnlyWithCapacityToSpare() {
        TrainingSettings extending =
                new TrainingSettings(512, 128, 32, 10, 0.2, ScheduledSampling.off(), 200, 128);
        OnlineTrainer eager = new OnlineTrainer(SPEC, extending, WINDOW);
        OnlineTrainer busy = new OnlineTrainer(SPEC, extending, WINDOW);
        for (float[][] ex : sineExamples(128, 1)) {
            eager.add(ex[0], ex[1]);
            busy.add(ex[0], ex[1]);
        }
        TrainingRound learning = eager.dueRound(Pacer.NONE, () -> true);
        assertTrue(
                eager.lastRoundSteps() > 10 && eager.lastRoundSteps() <= 200,
                "a fresh model on a learnable signal keeps stepping: " + eager.lastRoundSteps());
        assertEquals(0, eager.lastRoundSteps() % 10, "whole chunks of steps-per-round");
        busy.dueRound(Pacer.NONE, () -> false);
        assertEquals(10, busy.lastRoundSteps(), "no capacity to spare: steps-per-round only");
        assertTrue(learning.promoted(), learning.reason());
    }

    @Test
    void theFirstRoundsComeEarlyThenEveryRoundEverySamples() {
        TrainingSettings s =
                new TrainingSettings(512, 256, 32, 10, 0.2, ScheduledSampling.off(), 10, 64);
        OnlineTrainer trainer = new OnlineTrainer(SPEC, s, WINDOW);
        List<Long> due = new ArrayList<>();
        long n = 0;
        for (float[][] ex : sineExamples(1100, 2)) {
            n++;
            if (trainer.add(ex[0], ex[1])) {
                due.add(n);
            }
        }
        assertEquals(List.of(64L, 128L, 256L, 512L, 768L, 1024L), due);
        assertEquals(64, s.roundLength(0));
        assertEquals(256, s.roundLength(5000));
        assertEquals(
                128,
                new TrainingSettings(512, 128, 32, 10, 0.2, ScheduledSampling.off()).roundLength(0),
                "without an early first round, every round-every samples as before");
    }

    /** Examples of a noisy sine whose period changes from 24 to 7 readings at {@code shiftAt}. */
    static List<float[][]> shiftingExamples(int count, int shiftAt, long seed) {
        Random r = new Random(seed);
        SeriesHistory h = new SeriesHistory(WINDOW + 1, 1);
        List<float[][]> out = new ArrayList<>();
        double phase = 0;
        for (int t = 0; out.size() < count; t++) {
            phase += 2 * Math.PI / (out.size() < shiftAt ? 24.0 : 7.0);
            float v = (float) (10 + 5 * Math.sin(phase) + 0.2 * r.nextGaussian());
            h.offer(t * 1000L, new float[] {v}, 0, Long.MAX_VALUE, 200);
            float[][] ex = h.trainingExample(WINDOW, 1);
            if (ex != null) {
                out.add(ex);
            }
        }
        return out;
    }

    @Test
    void aChangedSignalIsADriftWithinAFewChecksAndTheSameSignalIsNot() {
        int shiftAt = 768;
        List<float[][]> examples = shiftingExamples(shiftAt + 320, shiftAt, 3);
        // Rounds of a fixed effort, to keep the test short.
        TrainingSettings fixed =
                new TrainingSettings(512, 128, 32, 30, 0.2, ScheduledSampling.off(), 30, 128);
        OnlineTrainer trainer = new OnlineTrainer(SPEC, fixed, WINDOW);
        int checks = 0;
        int firedAt = -1;
        for (int from = 0; from + 32 <= examples.size(); from += 32) {
            List<float[][]> batch = examples.subList(from, from + 32);
            if (from >= 384) {
                float[][] x = batch.stream().map(e -> e[0]).toArray(float[][]::new);
                float[][] y = batch.stream().map(e -> e[1]).toArray(float[][]::new);
                DriftCheck check = trainer.checkDrift(x, y, 32, from + 32);
                assertEquals(from + 32, check.samplesSeen());
                assertTrue(check.validationLoss() > 0, "a round has set the reference");
                if (check.drift()) {
                    assertTrue(from >= shiftAt, "false drift at sample " + from + ": " + check);
                    assertTrue(check.statistic() > check.threshold());
                    firedAt = from;
                    break;
                }
                checks++;
            }
            for (float[][] ex : batch) {
                if (trainer.add(ex[0], ex[1])) {
                    trainer.dueRound();
                }
            }
        }
        assertTrue(firedAt >= shiftAt, "no drift detected in " + checks + " checks");
        assertTrue(firedAt <= shiftAt + 5 * 32, "drift detected " + (firedAt - shiftAt) + " late");
    }

    /**
     * Feeds {@code examples} in batches of 32 with rounds as they come due, checking each batch for
     * drift from sample 384 on (as the operator does between rounds) until a check fires; the fired
     * batch is added too. Returns how many examples were added.
     */
    static int feedUntilDrift(OnlineTrainer trainer, List<float[][]> examples) {
        for (int from = 0; from + 32 <= examples.size(); from += 32) {
            List<float[][]> batch = examples.subList(from, from + 32);
            boolean fired = false;
            if (from >= 384) {
                float[][] x = batch.stream().map(e -> e[0]).toArray(float[][]::new);
                float[][] y = batch.stream().map(e -> e[1]).toArray(float[][]::new);
                fired = trainer.checkDrift(x, y, 32, from + 32).drift();
            }
            for (float[][] ex : batch) {
                if (trainer.add(ex[0], ex[1]) && !fired) {
                    trainer.dueRound();
                }
            }
            if (fired) {
                return from + 32;
            }
        }
        throw new AssertionError("no drift detected in " + examples.size() + " examples");
    }

    /**
     * Share of {@code batches} mini-batches' windows (at positions {@code [from, to)}) in {@code
     * newRegime}.
     */
    static double share(
            OnlineTrainer trainer, Set<float[]> newRegime, int batches, int from, int to) {
        int hits = 0;
        int all = 0;
        for (int b = 0; b < batches; b++) {
            float[][] x = trainer.sampleBatchInputs();
            for (int i = from; i < Math.min(to, x.length); i++) {
                hits += newRegime.contains(x[i]) ? 1 : 0;
                all++;
            }
        }
        return (double) hits / all;
    }

    @Test
    void aDriftRoundDrawsHalfOfEachBatchFromTheNewRegimeAndValidatesOnIt() {
        int shiftAt = 768;
        List<float[][]> examples = shiftingExamples(shiftAt + 320, shiftAt, 3);
        TrainingSettings fixed =
                new TrainingSettings(512, 128, 32, 30, 0.2, ScheduledSampling.off(), 30, 128);
        OnlineTrainer drifted = new OnlineTrainer(SPEC, fixed, WINDOW);
        OnlineTrainer uniform = new OnlineTrainer(SPEC, fixed, WINDOW);
        int added = feedUntilDrift(drifted, examples);
        assertEquals(added, feedUntilDrift(uniform, examples), "the same seed and input");
        Set<float[]> newRegime = Collections.newSetFromMap(new IdentityHashMap<>());
        examples.subList(shiftAt, added).forEach(e -> newRegime.add(e[0]));
        int fresh = added - shiftAt;

        drifted.markDrift();
        assertTrue(drifted.driftLasts());
        // The drift's hold-out is its newest MIN_HOLDOUT windows (a fifth of the new ones is
        // fewer); the rest of the new windows are trainable, 480 windows in all.
        assertTrue(
                fresh * 0.2 <= DriftWeighting.MIN_HOLDOUT && fresh > DriftWeighting.MIN_HOLDOUT,
                "fresh " + fresh);
        double newTrainable = (fresh - DriftWeighting.MIN_HOLDOUT) / 480.0;
        double firstHalf = share(drifted, newRegime, 200, 0, 16);
        double secondHalf = share(drifted, newRegime, 200, 16, 32);
        assertTrue(firstHalf > 0.95, "first half of each batch from the new regime: " + firstHalf);
        assertEquals(newTrainable, secondHalf, 0.03, "second half uniform");
        // Without the drift, the usual hold-out (the newest 102) holds every new window.
        assertEquals(0, share(uniform, newRegime, 200, 0, 32), 1e-9);

        TrainingRound round = drifted.dueRound();
        assertTrue(round.servingValidationLoss() > 0, round.reason());
        assertTrue(drifted.driftLasts(), "the drift's windows are not yet half the buffer");
    }

    @Test
    void aModelTrainedWithTheDriftWeightingAdaptsFasterToTheNewRegime() {
        int shiftAt = 768;
        List<float[][]> examples = shiftingExamples(shiftAt + 320 + 256, shiftAt, 3);
        // A hold-out of 5% (26 windows) is also the drift's: the two trainers differ only in how
        // they sample mini-batches.
        TrainingSettings fixed =
                new TrainingSettings(512, 128, 32, 30, 0.05, ScheduledSampling.off(), 30, 128);
        OnlineTrainer weighted = new OnlineTrainer(SPEC, fixed, WINDOW);
        OnlineTrainer uniform = new OnlineTrainer(SPEC, fixed, WINDOW);
        int added = feedUntilDrift(weighted, examples.subList(0, shiftAt + 320));
        assertEquals(added, feedUntilDrift(uniform, examples.subList(0, shiftAt + 320)));
        weighted.markDrift();
        for (int r = 0; r < 3; r++) {
            weighted.dueRound();
            uniform.dueRound();
        }
        assertEquals(weighted.lastRoundSteps(), uniform.lastRoundSteps());
        List<float[][]> later = examples.subList(examples.size() - 256, examples.size());
        double weightedLoss = newRegimeLoss(weighted, later);
        double uniformLoss = newRegimeLoss(uniform, later);
        assertTrue(
                weightedLoss < 0.8 * uniformLoss,
                "weighted " + weightedLoss + " against uniform " + uniformLoss);
    }

    /** The candidate's loss on {@code windows} (unseen windows of the new regime). */
    static double newRegimeLoss(OnlineTrainer trainer, List<float[][]> windows) {
        RecurrentNetwork net = RecurrentNetwork.create(SPEC);
        net.setParams(trainer.candidateParams());
        float[][] x = windows.stream().map(e -> e[0]).toArray(float[][]::new);
        float[][] y = windows.stream().map(e -> e[1]).toArray(float[][]::new);
        return net.loss(x, y, x.length, WINDOW);
    }

    @Test
    void aRoundStartedNowRestartsTheSchedule() {
        OnlineTrainer trainer = new OnlineTrainer(SPEC, TRAINING, WINDOW);
        int added = 0;
        for (float[][] ex : sineExamples(400, 4)) {
            added++;
            if (trainer.add(ex[0], ex[1])) {
                trainer.dueRound();
            }
            if (added == 300) {
                break;
            }
        }
        int before = trainer.samplesUntilRound();
        trainer.markDrift();
        assertNotNull(trainer.dueRound(Pacer.NONE, () -> true));
        assertEquals(TRAINING.roundLength(trainer.samplesSeen()), trainer.samplesUntilRound());
        assertTrue(trainer.samplesUntilRound() > before, "the next round comes later");
    }
}
