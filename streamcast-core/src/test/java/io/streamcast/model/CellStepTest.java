package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The direct serving step, both for a few series (plain Java) and for a batch (BLAS products),
 * computes what Deeplearning4j computes over the whole window.
 */
class CellStepTest {

    static float[][] randomWindows(int n, int rows, int width, long seed) {
        Random r = new Random(seed);
        float[][] w = new float[n][rows * width];
        for (float[] s : w) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) r.nextGaussian();
            }
        }
        return w;
    }

    /**
     * Parameters moved away from their initial values (non-zero biases, larger weights) so every
     * term matters.
     */
    static void perturb(RecurrentNetwork net, long seed) {
        Random r = new Random(seed);
        float[] p = net.params();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (0.3 * r.nextGaussian());
        }
        net.setParams(p);
    }

    /**
     * Steps {@code n} windows one reading at a time through {@link RecurrentNetwork#step}; the last
     * outputs.
     */
    static float[] stepThrough(
            RecurrentNetwork net, float[][] windows, int n, int rows, float[][] states) {
        int width = net.spec().width();
        float[] last = null;
        for (int t = 0; t < rows; t++) {
            float[] inputs = new float[n * width];
            for (int i = 0; i < n; i++) {
                System.arraycopy(windows[i], t * width, inputs, i * width, width);
            }
            last = net.step(inputs, states, n);
        }
        return last;
    }

    @org.junit.jupiter.api.Test
    void theVectorisableTanhIsWithin4e7OfMathTanh() {
        float[] z = new float[400_001];
        for (int i = 0; i < z.length; i++) {
            z[i] = -20f + i * 1e-4f;
        }
        float[] x = z.clone();
        CellStep.tanh(z, 0, z.length);
        double maxError = 0;
        for (int i = 0; i < z.length; i++) {
            maxError = Math.max(maxError, Math.abs(z[i] - Math.tanh(x[i])));
        }
        assertTrue(maxError < 4e-7, "max |error| " + maxError);
        float[] nan = {Float.NaN};
        CellStep.tanh(nan, 0, 1);
        assertTrue(Float.isNaN(nan[0]), "NaN must stay NaN (a diverged state is never hidden)");
    }

    @ParameterizedTest(name = "{0} layers={1} width={2}")
    @CsvSource({
        "rnn, 1, 1", "rnn, 1, 3", "rnn, 2, 1", "rnn, 2, 3",
        "lstm, 1, 1", "lstm, 1, 3", "lstm, 2, 1", "lstm, 2, 3",
        "gru, 1, 1", "gru, 1, 3", "gru, 2, 1", "gru, 2, 3",
    })
    void theDirectStepEqualsDeeplearning4jsLastOutput(String cell, int layers, int width) {
        NetworkSpec spec = new NetworkSpec(Cell.of(cell), layers, 8, width, 2, 5, 0.01, 1.0, 0);
        RecurrentNetwork net = RecurrentNetwork.create(spec);
        perturb(net, 17);
        for (int n : new int[] {5, CellStep.BLAS_FROM + 9}) {
            assertMatchesDeeplearning4j(net, spec, n);
        }
    }

    private static void assertMatchesDeeplearning4j(RecurrentNetwork net, NetworkSpec spec, int n) {
        String cell = spec.cell().id();
        int rows = 12;
        int width = spec.width();
        float[][] windows = randomWindows(n, rows, width, 3);
        INDArray full = net.output(windows, n, rows); // [n, horizon, rows]

        float[] last = stepThrough(net, windows, n, rows, new float[n][net.stateSize()]);
        double maxDiff = 0;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < spec.horizon(); k++) {
                maxDiff =
                        Math.max(
                                maxDiff,
                                Math.abs(
                                        full.getFloat(i, k, rows - 1)
                                                - last[i * spec.horizon() + k]));
            }
        }
        float[] rebuilt = net.runWindows(windows, rows, new float[n][net.stateSize()], n);
        for (int i = 0; i < rebuilt.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(rebuilt[i] - last[i]));
        }
        System.out.printf(
                "CellStepTest %s layers=%d width=%d series=%d max|direct - DL4J| = %.3g%n",
                cell, spec.layers(), width, n, maxDiff);
        assertTrue(maxDiff <= 1e-5, cell + " with " + n + " series: max difference " + maxDiff);
    }
}
