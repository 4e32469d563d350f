package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every cell learns the noisy sine's next change to well below the repeat-last forecast's error.
 */
@Tag("slow")
class CellLearningTest {
    private static final int WINDOW = OnlineTrainerTest.WINDOW;

    private static float[][][] stack(List<float[][]> examples) {
        float[][] x = new float[examples.size()][];
        float[][] y = new float[examples.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = examples.get(i)[0];
            y[i] = examples.get(i)[1];
        }
        return new float[][][] {x, y};
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru", "bilstm"})
    void learnsTheNextChangeOfANoisySine(String cell) {
        long start = System.nanoTime();
        NetworkSpec spec = new NetworkSpec(Cell.of(cell), 1, 16, 1, 1, 42, 0.01, 1.0, 0);
        RecurrentNetwork net = RecurrentNetwork.create(spec);
        List<float[][]> examples = OnlineTrainerTest.sineExamples(600, 4);
        float[][][] train = stack(examples.subList(0, 480));
        float[][][] test = stack(examples.subList(480, 600));
        int batch = 32;
        java.util.Random r = new java.util.Random(1);
        for (int s = 0; s < 150; s++) {
            float[][] x = new float[batch][];
            float[][] y = new float[batch][];
            for (int i = 0; i < batch; i++) {
                int k = r.nextInt(train[0].length);
                x[i] = train[0][k];
                y[i] = train[1][k];
            }
            net.fit(net.dataSet(x, y, batch, WINDOW));
        }
        int n = test[0].length;
        float[] predicted = net.runWindows(test[0], WINDOW, new float[n][net.stateSize()], n);
        double model = 0;
        double repeatLast = 0; // repeat-last predicts a change of 0
        for (int i = 0; i < n; i++) {
            double target = test[1][i][WINDOW - 1];
            model += (predicted[i] - target) * (predicted[i] - target);
            repeatLast += target * target;
        }
        model /= n;
        repeatLast /= n;
        System.out.printf(
                "CellLearningTest %s test MSE %.4f vs repeat-last %.4f (ratio %.3f) in %d ms%n",
                cell,
                model,
                repeatLast,
                model / repeatLast,
                (System.nanoTime() - start) / 1_000_000);
        assertTrue(model < 0.5 * repeatLast, cell + ": " + model + " vs repeat-last " + repeatLast);
    }
}
