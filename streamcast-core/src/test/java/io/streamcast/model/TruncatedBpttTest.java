package io.streamcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Truncated back-propagation through time for long windows, and full BPTT when it is off. */
@Tag("slow")
class TruncatedBpttTest {
    private static final int WINDOW = 96;

    private static NetworkSpec spec(int tbptt) {
        return new NetworkSpec(Cell.LSTM, 1, 16, 1, 1, 42, 0.01, 1.0, 0, Decoder.DIRECT, tbptt);
    }

    private static DataSet[] batches(RecurrentNetwork net, int count) {
        List<float[][]> examples = AutoregressiveDecoderTest.sineExamples(400, WINDOW, 1, 6);
        SplitMix64 rng = new SplitMix64(2);
        DataSet[] out = new DataSet[count];
        for (int b = 0; b < count; b++) {
            float[][] x = new float[16][];
            float[][] y = new float[16][];
            for (int i = 0; i < 16; i++) {
                float[][] ex = examples.get(rng.nextInt(examples.size()));
                x[i] = ex[0];
                y[i] = ex[1];
            }
            out[b] = net.dataSet(x, y, 16, WINDOW);
        }
        return out;
    }

    @Test
    void truncatedBpttIsConfiguredAndTrainsOnALongWindow() {
        long start = System.nanoTime();
        RecurrentNetwork net = RecurrentNetwork.create(spec(16));
        MultiLayerConfiguration conf = net.network().getLayerWiseConfigurations();
        assertEquals(BackpropType.TruncatedBPTT, conf.getBackpropType());
        assertEquals(16, conf.getTbpttFwdLength());
        assertEquals(16, conf.getTbpttBackLength());
        DataSet[] data = batches(net, 21);
        DataSet held = data[20];
        double before = net.loss(held);
        for (int s = 0; s < 20; s++) {
            assertTrue(Double.isFinite(net.fit(data[s])));
        }
        double after = net.loss(held);
        System.out.printf(
                "TruncatedBpttTest window %d tbptt 16: loss %.4f -> %.4f in %d ms%n",
                WINDOW, before, after, (System.nanoTime() - start) / 1_000_000);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }

    @Test
    void fullBpttIsWhatItWasWhenTruncationIsOff() {
        RecurrentNetwork off = RecurrentNetwork.create(spec(0));
        RecurrentNetwork plain =
                RecurrentNetwork.create(new NetworkSpec(Cell.LSTM, 1, 16, 1, 1, 42, 0.01, 1.0, 0));
        RecurrentNetwork truncated = RecurrentNetwork.create(spec(16));
        assertEquals(
                BackpropType.Standard,
                off.network().getLayerWiseConfigurations().getBackpropType());
        DataSet[] data = batches(off, 3);
        for (DataSet d : data) {
            assertEquals(plain.fit(d), off.fit(d), 0);
            truncated.fit(d);
        }
        assertArrayEquals(plain.params(), off.params(), 0f);
        assertFalse(
                java.util.Arrays.equals(off.params(), truncated.params()),
                "truncation changes the updates");
    }

    @Test
    void cellsThatCannotCarryStateAcrossSegmentsAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(Cell.GRU, 1, 4, 1, 1, 1, 0.01, 1, 0, Decoder.DIRECT, 8));
        assertThrows(
                IllegalArgumentException.class,
                () -> new NetworkSpec(Cell.BILSTM, 1, 4, 1, 1, 1, 0.01, 1, 0, Decoder.DIRECT, 8));
    }
}
