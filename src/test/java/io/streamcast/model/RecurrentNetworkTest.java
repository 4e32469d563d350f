package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class RecurrentNetworkTest {
    private static final NetworkSpec SPEC = new NetworkSpec("lstm", 2, 16, 3, 2, 11, 0.01, 1.0);

    private static float[][] randomWindows(int n, int rows, int width, long seed) {
        Random r = new Random(seed);
        float[][] w = new float[n][rows * width];
        for (float[] s : w) {
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) r.nextGaussian();
            }
        }
        return w;
    }

    @Test
    void steppingOneReadingAtATimeEqualsTheFullWindowOutput() {
        RecurrentNetwork net = RecurrentNetwork.create(SPEC);
        int n = 4;
        int rows = 12;
        float[][] windows = randomWindows(n, rows, SPEC.width(), 3);
        INDArray full = net.output(windows, n, rows);

        float[][] states = new float[n][net.stateSize()];
        float[] last = null;
        for (int t = 0; t < rows; t++) {
            float[] inputs = new float[n * SPEC.width()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(windows[i], t * SPEC.width(), inputs, i * SPEC.width(), SPEC.width());
            }
            last = net.step(inputs, states, n);
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < SPEC.horizon(); k++) {
                assertEquals(full.getFloat(i, k, rows - 1), last[i * SPEC.horizon() + k], 1e-4);
            }
        }
    }

    @Test
    void rebuildingFromAWindowLeavesTheSameStateAsStepping() {
        RecurrentNetwork net = RecurrentNetwork.create(SPEC);
        int n = 3;
        int rows = 8;
        float[][] windows = randomWindows(n, rows, SPEC.width(), 5);
        float[][] rebuilt = new float[n][net.stateSize()];
        float[] fromWindow = net.runWindows(windows, rows, rebuilt, n);

        float[][] stepped = new float[n][net.stateSize()];
        float[] fromSteps = null;
        for (int t = 0; t < rows; t++) {
            float[] inputs = new float[n * SPEC.width()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(windows[i], t * SPEC.width(), inputs, i * SPEC.width(), SPEC.width());
            }
            fromSteps = net.step(inputs, stepped, n);
        }
        assertArrayEquals(fromSteps, fromWindow, 1e-4f);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(stepped[i], rebuilt[i], 1e-4f);
        }
    }

    @Test
    void theSameSeedBuildsTheSameWeights() {
        assertArrayEquals(RecurrentNetwork.create(SPEC).params(), RecurrentNetwork.create(SPEC).params());
    }

    @Test
    void paramsAndOptimiserStateRoundTrip() {
        RecurrentNetwork a = RecurrentNetwork.create(SPEC);
        RecurrentNetwork b = RecurrentNetwork.create(new NetworkSpec("lstm", 2, 16, 3, 2, 99, 0.01, 1.0));
        b.setParams(a.params());
        assertArrayEquals(a.params(), b.params());
    }
}
