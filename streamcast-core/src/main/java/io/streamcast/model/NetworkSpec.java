package io.streamcast.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything needed to build the same network twice: architecture (cell — one of {@link Cell#ids()}
 * —, layers, hidden units, input width, horizon, decoder), optimiser (Adam learning rate, gradient
 * clipping threshold; 0 turns clipping off), dropout between recurrent layers (a drop probability
 * in [0, 0.9], training only), truncated BPTT length (0 = full BPTT within the window) and seed.
 *
 * <p>Decoder: {@link Decoder#DIRECT} has a head of {@code horizon} outputs (the change over the
 * next 1..H steps at once); {@link Decoder#AUTOREGRESSIVE} has a one-step head and forecasts H
 * steps by rolling the network forward on its own predictions ({@link RecurrentNetwork#step}). The
 * bidirectional cell has no state to roll forward, so it is direct only. Truncated BPTT carries the
 * recurrent state from one segment to the next, which DL4J does for its own recurrent layers (rnn,
 * lstm) but not for the GRU (a SameDiff layer that starts every input from a zero state) or the
 * bidirectional wrapper, so it is refused for those.
 *
 * <p>Model records (the models topic, model files) write it field by field ({@code
 * io.streamcast.io.NetworkJson}); {@link #summary()} is for people reading logs.
 */
public record NetworkSpec(
        Cell cell,
        int layers,
        int hidden,
        int width,
        int horizon,
        long seed,
        double learningRate,
        double gradientClip,
        double dropout,
        Decoder decoder,
        int tbpttLength)
        implements Serializable {

    public NetworkSpec {
        if (cell == null) {
            throw new IllegalArgumentException(
                    "unknown cell 'null'; one of " + Arrays.toString(Cell.ids()) + " is allowed");
        }
        if (layers < 1 || hidden < 1 || width < 1 || horizon < 1) {
            throw new IllegalArgumentException(
                    "layers, hidden, width and horizon must be positive: layers="
                            + layers
                            + " hidden="
                            + hidden
                            + " width="
                            + width
                            + " horizon="
                            + horizon);
        }
        if (!(dropout >= 0 && dropout <= 0.9)) {
            throw new IllegalArgumentException("dropout must be in [0, 0.9], was " + dropout);
        }
        if (decoder == null) {
            throw new IllegalArgumentException(
                    "decoder must be '"
                            + Decoder.DIRECT.id()
                            + "' or '"
                            + Decoder.AUTOREGRESSIVE.id()
                            + "', was 'null'");
        }
        if (decoder == Decoder.AUTOREGRESSIVE && !cell.stateful()) {
            throw new IllegalArgumentException(
                    "the "
                            + cell.id()
                            + " cell reads the whole window both ways and has no"
                            + " state to roll forward: it needs the direct decoder");
        }
        if (tbpttLength < 0) {
            throw new IllegalArgumentException(
                    "tbpttLength must be 0 (full BPTT) or positive, was " + tbpttLength);
        }
        if (tbpttLength > 0 && cell != Cell.RNN && cell != Cell.LSTM) {
            throw new IllegalArgumentException(
                    "truncated BPTT needs a cell whose state DL4J carries across segments"
                            + " (rnn, lstm), not "
                            + cell.id());
        }
    }

    /** A direct-decoder network with full BPTT. */
    public NetworkSpec(
            Cell cell,
            int layers,
            int hidden,
            int width,
            int horizon,
            long seed,
            double learningRate,
            double gradientClip,
            double dropout) {
        this(
                cell,
                layers,
                hidden,
                width,
                horizon,
                seed,
                learningRate,
                gradientClip,
                dropout,
                Decoder.DIRECT,
                0);
    }

    /** Whether forecasts roll a one-step network forward on its own predictions. */
    public boolean autoregressive() {
        return decoder == Decoder.AUTOREGRESSIVE;
    }

    /**
     * Outputs of the head per time step: the horizon for the direct decoder, 1 for the
     * autoregressive one.
     */
    public int outputs() {
        return autoregressive() ? 1 : horizon;
    }

    /**
     * A short human-readable summary for log lines and labels (earlier versions also published it
     * as the {@code config} text of model records).
     */
    public String summary() {
        return cell.id()
                + " layers="
                + layers
                + " hidden="
                + hidden
                + " width="
                + width
                + " horizon="
                + horizon
                + " decoder="
                + decoder.id()
                + " dropout="
                + dropout
                + " lr="
                + learningRate
                + " clip="
                + gradientClip
                + (tbpttLength > 0 ? " tbptt=" + tbpttLength : "")
                + " seed="
                + seed;
    }
}
