package io.streamcast.model;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent cell of a {@link RecurrentNetwork}: builds one layer's Deeplearning4j
 * configuration, knows the per-series state layout of that layer and, for cells that can be
 * stepped, builds a plain-Java {@link CellStep} on the layer's trained weights.
 *
 * <p>Implementation notes: state per layer is {@code stateVectors × hidden} floats (h, then c for
 * the LSTM). The bidirectional LSTM reads every window backwards as well, so it has no state that
 * one new reading could advance: it is served in window mode and keeps no state ({@code
 * stateVectors = 0}).
 */
public enum Cell {
    /**
     * Vanilla (Elman) recurrent layer, DL4J {@code SimpleRnn}: {@code h' = tanh(x·W + h·RW + b)}.
     */
    RNN("rnn", 1) {
        @Override
        Layer layer(int nIn, int hidden) {
            return new SimpleRnn.Builder()
                    .nIn(nIn)
                    .nOut(hidden)
                    .activation(Activation.TANH)
                    .build();
        }

        @Override
        CellStep step(Map<String, INDArray> params, int nIn, int hidden) {
            return CellStep.rnn(params, nIn, hidden);
        }
    },
    /** DL4J {@code LSTM} (no peepholes, forget-gate bias initialised to 1). */
    LSTM("lstm", 2) {
        @Override
        Layer layer(int nIn, int hidden) {
            return lstm(nIn, hidden);
        }

        @Override
        CellStep step(Map<String, INDArray> params, int nIn, int hidden) {
            return CellStep.lstm(params, nIn, hidden);
        }
    },
    /**
     * Gated recurrent unit, a SameDiff layer ({@link GruLayer}) since DL4J M2.1 has no GRU layer.
     */
    GRU("gru", 1) {
        @Override
        Layer layer(int nIn, int hidden) {
            return new GruLayer(nIn, hidden);
        }

        @Override
        CellStep step(Map<String, INDArray> params, int nIn, int hidden) {
            return CellStep.gru(params, nIn, hidden);
        }
    },
    /**
     * Two LSTMs, one reading forwards and one backwards, outputs concatenated; window mode only.
     */
    BILSTM("bilstm", 0) {
        @Override
        Layer layer(int nIn, int hidden) {
            return new Bidirectional(Bidirectional.Mode.CONCAT, lstm(nIn, hidden));
        }

        @Override
        int outputWidth(int hidden) {
            return 2 * hidden;
        }

        @Override
        CellStep step(Map<String, INDArray> params, int nIn, int hidden) {
            throw new UnsupportedOperationException(
                    "a bidirectional cell cannot be stepped one reading at a time");
        }
    };

    private final String id;
    private final int stateVectors;

    Cell(String id, int stateVectors) {
        this.id = id;
        this.stateVectors = stateVectors;
    }

    /** The cell named in configuration ({@code model.cell}). */
    public static Cell of(String id) {
        for (Cell c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown cell '" + id + "'; one of " + Arrays.toString(ids()) + " is allowed");
    }

    /** The configuration names of all cells. */
    public static String[] ids() {
        return Arrays.stream(values()).map(Cell::id).toArray(String[]::new);
    }

    public String id() {
        return id;
    }

    /** Whether a series can be advanced one reading at a time from stored state. */
    public boolean stateful() {
        return stateVectors > 0;
    }

    /**
     * Vectors of {@code hidden} floats per layer in a series' state: 2 for the LSTM (h, c), 1 for
     * rnn/gru, 0 else.
     */
    int stateVectors() {
        return stateVectors;
    }

    /**
     * One recurrent layer reading {@code nIn} features per step; activations {@code [batch,
     * outputWidth, time]}.
     */
    abstract Layer layer(int nIn, int hidden);

    /** Features per step this layer hands to the next one. */
    int outputWidth(int hidden) {
        return hidden;
    }

    /**
     * A direct step on the weights of one trained layer ({@code params}: that layer's DL4J param
     * table).
     */
    abstract CellStep step(Map<String, INDArray> params, int nIn, int hidden);

    private static Layer lstm(int nIn, int hidden) {
        return new org.deeplearning4j.nn.conf.layers.LSTM.Builder()
                .nIn(nIn)
                .nOut(hidden)
                .activation(Activation.TANH)
                .build();
    }
}
