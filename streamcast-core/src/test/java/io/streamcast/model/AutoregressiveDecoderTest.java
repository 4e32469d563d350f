package io.streamcast.model;

import static io.streamcast.model.CellStepTest.perturb;
import static io.streamcast.model.CellStepTest.randomWindows;
import static io.streamcast.model.CellStepTest.stepThrough;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The autoregressive decoder: rollout on the network's own predictions, and scheduled sampling's
 * view of a window.
 */
class AutoregressiveDecoderTest {
    private static final int WIDTH = 3;
    private static final int HORIZON = 4;

    private static NetworkSpec spec(String cell, int horizon) {
        return new NetworkSpec(
                Cell.of(cell), 2, 8, WIDTH, horizon, 5, 0.01, 1.0, 0, Decoder.AUTOREGRESSIVE, 0);
    }

    /**
     * DL4J's output at the last row of a window, on a fresh copy of {@code net} (the GRU's graph
     * has a fixed length).
     */
    private static float lastOutput(RecurrentNetwork net, float[] window, int rows) {
        RecurrentNetwork copy = RecurrentNetwork.create(net.spec());
        copy.setParams(net.params());
        return copy.output(new float[][] {window}, 1, rows).getFloat(0, 0, rows - 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void theRolloutEqualsSteppingDeeplearning4jOnItsOwnPredictions(String cell) {
        RecurrentNetwork net = RecurrentNetwork.create(spec(cell, HORIZON));
        perturb(net, 21);
        int n = 3;
        int rows = 10;
        float[][] windows = randomWindows(n, rows, WIDTH, 4);
        float[] fromWindows = net.runWindows(windows, rows, new float[n][net.stateSize()], n);
        float[] fromSteps = stepThrough(net, windows, n, rows, new float[n][net.stateSize()]);
        assertArrayEquals(fromWindows, fromSteps, 1e-6f);

        double maxDiff = 0;
        for (int i = 0; i < n; i++) {
            float[] real =
                    java.util.Arrays.copyOfRange(windows[i], (rows - 1) * WIDTH, rows * WIDTH);
            float[] grown = windows[i];
            double cumulative = 0;
            for (int k = 0; k < HORIZON; k++) {
                int length = rows + k;
                cumulative += lastOutput(net, grown, length);
                maxDiff = Math.max(maxDiff, Math.abs(cumulative - fromWindows[i * HORIZON + k]));
                // The next input: the last real row, its target column moved by the predicted
                // change so far.
                float[] next = java.util.Arrays.copyOf(grown, (length + 1) * WIDTH);
                System.arraycopy(real, 0, next, length * WIDTH, WIDTH);
                next[length * WIDTH] = SeriesHistory.clip(real[0] + cumulative);
                grown = next;
            }
        }
        System.out.printf(
                "AutoregressiveDecoderTest %s max|rollout - DL4J stepped on its own predictions| = %.3g%n",
                cell, maxDiff);
        assertTrue(maxDiff <= 1e-5, cell + ": max difference " + maxDiff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void aBatchedRolloutEqualsRollingEachSeriesAlone(String cell) {
        RecurrentNetwork net = RecurrentNetwork.create(spec(cell, HORIZON));
        perturb(net, 13);
        int n = 2 * CellStep.BLAS_FROM; // large enough for the BLAS path
        int rows = 6;
        float[][] windows = randomWindows(n, rows, WIDTH, 12);
        float[] batched = net.runWindows(windows, rows, new float[n][net.stateSize()], n);
        for (int i = 0; i < n; i++) {
            float[] alone =
                    net.runWindows(
                            new float[][] {windows[i]}, rows, new float[1][net.stateSize()], 1);
            assertArrayEquals(
                    alone,
                    java.util.Arrays.copyOfRange(batched, i * HORIZON, (i + 1) * HORIZON),
                    1e-5f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void aSeriesStateOnlyEverSeesRealReadings(String cell) {
        RecurrentNetwork rolling = RecurrentNetwork.create(spec(cell, HORIZON));
        RecurrentNetwork oneStep = RecurrentNetwork.create(spec(cell, 1));
        perturb(rolling, 3);
        oneStep.setParams(rolling.params()); // the same one-step network, without rollout
        int n = 2;
        int rows = 7;
        float[][] windows = randomWindows(n, rows, WIDTH, 8);
        float[][] a = new float[n][rolling.stateSize()];
        float[][] b = new float[n][oneStep.stateSize()];
        float[] rolled = stepThrough(rolling, windows, n, rows, a);
        float[] single = stepThrough(oneStep, windows, n, rows, b);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(b[i], a[i], 0f);
            assertEquals(single[i], rolled[i * HORIZON], 0f);
        }
    }

    @Test
    void feedingOwnPredictionsReplacesTheLastRowsByWhatARolloutWouldFeed() {
        RecurrentNetwork net = RecurrentNetwork.create(spec("lstm", HORIZON));
        perturb(net, 5);
        int rows = 10;
        int k = 3;
        float[] input = randomWindows(1, rows, WIDTH, 9)[0];
        float[] target = randomWindows(1, rows, HORIZON, 10)[0];
        float[] inputBefore = input.clone();
        float[] targetBefore = target.clone();
        float[][] fed = net.feedOwnPredictions(input, target, rows, k);
        assertArrayEquals(inputBefore, input, 0f);
        assertArrayEquals(targetBefore, target, 0f);

        int last = rows - k - 1;
        float[] prefix = java.util.Arrays.copyOf(input, (last + 1) * WIDTH);
        float[] rollout =
                net.runWindows(new float[][] {prefix}, last + 1, new float[1][net.stateSize()], 1);
        for (int t = 0; t < rows; t++) {
            for (int f = 0; f < WIDTH; f++) {
                float expected =
                        t <= last
                                ? input[t * WIDTH + f]
                                : f > 0
                                        ? input[last * WIDTH + f] // features held
                                        : SeriesHistory.clip(
                                                input[last * WIDTH] + rollout[t - last - 1]);
                assertEquals(expected, fed[0][t * WIDTH + f], 1e-6f, "row " + t + " column " + f);
            }
            for (int j = 0; j < HORIZON; j++) {
                float expected =
                        t <= last || j > 0
                                ? target[t * HORIZON + j]
                                : SeriesHistory.clip(
                                        target[t * HORIZON] + input[t * WIDTH] - fed[0][t * WIDTH]);
                assertEquals(
                        expected, fed[1][t * HORIZON + j], 1e-6f, "target row " + t + " step " + j);
            }
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> net.feedOwnPredictions(input, target, rows, rows));
    }

    @Test
    void theHeadHasOneOutputAndLearnsTheFirstTargetColumn() {
        RecurrentNetwork net = RecurrentNetwork.create(spec("lstm", HORIZON));
        float[][] x = randomWindows(2, 5, WIDTH, 1);
        float[][] y = randomWindows(2, 5, HORIZON, 2);
        var data = net.dataSet(x, y, 2, 5);
        assertArrayEquals(new long[] {2, 1, 5}, data.getLabels().shape());
        assertEquals(y[1][3 * HORIZON], data.getLabels().getFloat(1, 0, 3), 0f);
        assertArrayEquals(new long[] {2, 1, 5}, net.output(x, 2, 5).shape());
        assertThrows(IllegalArgumentException.class, () -> spec("bilstm", HORIZON));
    }

    /** Noisy-sine examples with an H-step target per row, as the window assembler builds them. */
    static List<float[][]> sineExamples(int count, int window, int horizon, long seed) {
        Random r = new Random(seed);
        SeriesHistory h = new SeriesHistory(window + horizon, 1);
        List<float[][]> out = new ArrayList<>();
        for (int t = 0; out.size() < count; t++) {
            float v = (float) (10 + 5 * Math.sin(2 * Math.PI * t / 24.0) + 0.2 * r.nextGaussian());
            h.offer(t * 1000L, new float[] {v}, 0, Long.MAX_VALUE, 200);
            float[][] ex = h.trainingExample(window, horizon);
            if (ex != null) {
                out.add(ex);
            }
        }
        return out;
    }

    @Tag("slow")
    @Test
    void anAutoregressiveLstmForecastsANoisySineEightStepsAheadWellBelowRepeatLast() {
        long start = System.nanoTime();
        int window = 24;
        int horizon = 8;
        NetworkSpec spec =
                new NetworkSpec(
                        Cell.LSTM, 1, 16, 1, horizon, 42, 0.01, 1.0, 0, Decoder.AUTOREGRESSIVE, 0);
        RecurrentNetwork net = RecurrentNetwork.create(spec);
        List<float[][]> examples = sineExamples(600, window, horizon, 4);
        List<float[][]> train = examples.subList(0, 480);
        List<float[][]> test = examples.subList(480, 600);
        ScheduledSampling sampling = new ScheduledSampling(0, 0.5, 10, 0);
        SplitMix64 rng = new SplitMix64(1);
        int batch = 32;
        for (int s = 0; s < 200; s++) {
            float[][] x = new float[batch][];
            float[][] y = new float[batch][];
            for (int i = 0; i < batch; i++) {
                float[][] ex = train.get(rng.nextInt(train.size()));
                x[i] = ex[0];
                y[i] = ex[1];
            }
            sampling.apply(net, x, y, batch, window, sampling.probability(s / 20), rng);
            net.fit(net.dataSet(x, y, batch, window));
        }
        int n = test.size();
        float[][] inputs = test.stream().map(e -> e[0]).toArray(float[][]::new);
        float[] forecast = net.runWindows(inputs, window, new float[n][net.stateSize()], n);
        double[] model = new double[horizon];
        double[] repeatLast =
                new double[horizon]; // repeat-last forecasts a change of 0 at every step
        for (int i = 0; i < n; i++) {
            float[] target = test.get(i)[1];
            for (int k = 0; k < horizon; k++) {
                double truth = target[(window - 1) * horizon + k];
                model[k] += Math.pow(forecast[i * horizon + k] - truth, 2) / n;
                repeatLast[k] += truth * truth / n;
            }
        }
        double m = java.util.Arrays.stream(model).average().orElseThrow();
        double rl = java.util.Arrays.stream(repeatLast).average().orElseThrow();
        System.out.printf(
                "AutoregressiveDecoderTest lstm h=8 MSE %.4f vs repeat-last %.4f (ratio %.3f; step 8: %.4f vs"
                        + " %.4f) in %d ms%n",
                m,
                rl,
                m / rl,
                model[horizon - 1],
                repeatLast[horizon - 1],
                (System.nanoTime() - start) / 1_000_000);
        assertTrue(m < 0.25 * rl, "h=8 MSE " + m + " vs repeat-last " + rl);
        assertTrue(
                model[horizon - 1] < 0.25 * repeatLast[horizon - 1],
                "step 8: " + model[horizon - 1]);
    }
}
