package io.streamcast.model;

import static io.streamcast.model.CellStepTest.randomWindows;
import static io.streamcast.model.CellStepTest.stepThrough;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class RecurrentNetworkTest {
    private static NetworkSpec spec(Cell cell) {
        return new NetworkSpec(cell, 2, 16, 3, 2, 11, 0.01, 1.0, 0);
    }

    @ParameterizedTest
    @EnumSource(
            value = Cell.class,
            names = {"RNN", "LSTM", "GRU"})
    void steppingOneReadingAtATimeEqualsTheFullWindowOutput(Cell cell) {
        RecurrentNetwork net = RecurrentNetwork.create(spec(cell));
        int n = 4;
        int rows = 12;
        float[][] windows = randomWindows(n, rows, 3, 3);
        INDArray full = net.output(windows, n, rows);

        float[] last = stepThrough(net, windows, n, rows, new float[n][net.stateSize()]);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(full.getFloat(i, k, rows - 1), last[i * 2 + k], 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Cell.class,
            names = {"RNN", "LSTM", "GRU"})
    void rebuildingFromAWindowLeavesTheSameStateAsStepping(Cell cell) {
        RecurrentNetwork net = RecurrentNetwork.create(spec(cell));
        int n = 3;
        int rows = 8;
        float[][] windows = randomWindows(n, rows, 3, 5);
        float[][] rebuilt = new float[n][net.stateSize()];
        rebuilt[0][0] = 42; // whatever was there before is replaced
        float[] fromWindow = net.runWindows(windows, rows, rebuilt, n);

        float[][] stepped = new float[n][net.stateSize()];
        float[] fromSteps = stepThrough(net, windows, n, rows, stepped);
        assertArrayEquals(fromSteps, fromWindow, 1e-6f);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(stepped[i], rebuilt[i], 1e-6f);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Cell.class,
            names = {"RNN", "LSTM", "GRU"})
    void theStateLayoutIsHiddenPerLayerAndCellStateForTheLstm(Cell cell) {
        RecurrentNetwork net = RecurrentNetwork.create(spec(cell));
        assertTrue(net.stateful());
        assertEquals(2 * 16 * (cell == Cell.LSTM ? 2 : 1), net.stateSize());
    }

    @Test
    void theBidirectionalLstmIsServedFromWholeWindowsOnly() {
        RecurrentNetwork net = RecurrentNetwork.create(spec(Cell.BILSTM));
        assertFalse(net.stateful());
        assertEquals(0, net.stateSize());
        int n = 3;
        int rows = 8;
        float[][] windows = randomWindows(n, rows, 3, 7);
        INDArray full = net.output(windows, n, rows);
        float[] last = net.runWindows(windows, rows, new float[n][0], n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                assertEquals(full.getFloat(i, k, rows - 1), last[i * 2 + k], 0f);
            }
        }
        // The backward direction sees the future: the first step's output depends on the last
        // reading.
        float[][] changed = randomWindows(n, rows, 3, 7);
        changed[0][(rows - 1) * 3] += 1;
        assertNotEquals(full.getFloat(0, 0, 0), net.output(changed, n, rows).getFloat(0, 0, 0));
        assertThrows(IllegalStateException.class, () -> net.step(new float[3], new float[1][0], 1));
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void dropoutActsInTrainingOnlyAndAddsNoParameters(Cell cell) {
        NetworkSpec plain = spec(cell);
        NetworkSpec dropped = new NetworkSpec(cell, 2, 16, 3, 2, 11, 0.01, 1.0, 0.5);
        RecurrentNetwork a = RecurrentNetwork.create(plain);
        RecurrentNetwork b = RecurrentNetwork.create(dropped);
        assertArrayEquals(a.params(), b.params());

        int n = 4;
        int rows = 6;
        float[][] windows = randomWindows(n, rows, 3, 9);
        assertEquals(a.output(windows, n, rows), b.output(windows, n, rows));
        float[][] states = new float[n][b.stateSize()];
        assertArrayEquals(
                a.runWindows(windows, rows, new float[n][a.stateSize()], n),
                b.runWindows(windows, rows, states, n),
                1e-6f);

        DataSet data = b.dataSet(windows, randomWindows(n, rows, 2, 10), n, rows);
        assertEquals(a.loss(data), b.loss(data), 1e-6);
        assertNotEquals(
                b.gradientNorm(data),
                b.gradientNorm(data),
                "training passes should draw dropout masks");
        assertEquals(a.gradientNorm(data), a.gradientNorm(data), 1e-9);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void theDirectLossEqualsDl4jsScoreForEveryCellAndDecoder(Cell cell) {
        for (Decoder decoder :
                cell == Cell.BILSTM
                        ? new Decoder[] {Decoder.DIRECT}
                        : new Decoder[] {Decoder.DIRECT, Decoder.AUTOREGRESSIVE}) {
            RecurrentNetwork net =
                    RecurrentNetwork.create(
                            new NetworkSpec(cell, 2, 16, 3, 2, 11, 0.01, 1.0, 0.3, decoder, 0));
            int n = 5;
            int rows = 9;
            float[][] inputs = randomWindows(n, rows, 3, 21);
            float[][] targets = randomWindows(n, rows, 2, 22);
            DataSet data = net.dataSet(inputs, targets, n, rows);
            net.fit(data); // trained weights, not only the initial ones (and the direct steps
            // rebuilt after a fit)
            double dl4j = net.loss(data);
            assertEquals(
                    dl4j, net.loss(inputs, targets, n, rows), 1e-5 * dl4j, cell + " " + decoder);
        }
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void aFitReportsTheRawGradientNormOfItsUpdateBeforeClipping(Cell cell) {
        NetworkSpec tightClip = new NetworkSpec(cell, 2, 16, 3, 2, 11, 0.01, 1e-3, 0);
        RecurrentNetwork net = RecurrentNetwork.create(tightClip);
        int n = 4;
        int rows = 7;
        DataSet data =
                net.dataSet(randomWindows(n, rows, 3, 31), randomWindows(n, rows, 2, 32), n, rows);
        double raw = net.gradientNorm(data);
        assertTrue(
                raw > 10 * tightClip.gradientClip(),
                "the check needs a gradient that clipping changes: " + raw);
        net.fit(data);
        assertEquals(raw, net.fitGradientNorm(), 1e-5 * raw);
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void theSameSeedBuildsTheSameWeights(Cell cell) {
        assertArrayEquals(
                RecurrentNetwork.create(spec(cell)).params(),
                RecurrentNetwork.create(spec(cell)).params());
    }

    @ParameterizedTest
    @EnumSource(Cell.class)
    void paramsRoundTripAndChangeWhatIsServed(Cell cell) {
        RecurrentNetwork a = RecurrentNetwork.create(spec(cell));
        RecurrentNetwork b =
                RecurrentNetwork.create(new NetworkSpec(cell, 2, 16, 3, 2, 99, 0.01, 1.0, 0));
        float[][] windows = randomWindows(2, 5, 3, 1);
        float[] before = b.runWindows(windows, 5, new float[2][b.stateSize()], 2);
        b.setParams(a.params());
        assertArrayEquals(a.params(), b.params());
        float[] after = b.runWindows(windows, 5, new float[2][b.stateSize()], 2);
        assertFalse(java.util.Arrays.equals(before, after));
        assertArrayEquals(a.runWindows(windows, 5, new float[2][a.stateSize()], 2), after);
    }

    @Test
    void aMissingCellOrDropoutOutOfRangeIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(null, 1, 4, 1, 1, 1, 0.01, 1, 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(Cell.GRU, 1, 4, 1, 1, 1, 0.01, 1, 0.95));
    }
}
