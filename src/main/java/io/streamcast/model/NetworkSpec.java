package io.streamcast.model;

import java.io.Serializable;

/**
 * Everything needed to build the same network twice: architecture (cell — one of {@link Cell#ids()} —, layers,
 * hidden units, input width, horizon), optimiser (Adam learning rate, gradient clipping threshold; 0 turns clipping
 * off), dropout between recurrent layers (a drop probability in [0, 0.9], training only) and seed.
 */
public record NetworkSpec(
        String cell,
        int layers,
        int hidden,
        int width,
        int horizon,
        long seed,
        double learningRate,
        double gradientClip,
        double dropout) implements Serializable {

    public NetworkSpec {
        Cell.of(cell);
        if (layers < 1 || hidden < 1 || width < 1 || horizon < 1) {
            throw new IllegalArgumentException("layers, hidden, width and horizon must be positive: layers=" + layers
                    + " hidden=" + hidden + " width=" + width + " horizon=" + horizon);
        }
        if (!(dropout >= 0 && dropout <= 0.9)) {
            throw new IllegalArgumentException("dropout must be in [0, 0.9], was " + dropout);
        }
    }

    /** A short human-readable summary, published with every model version. */
    public String summary() {
        return cell + " layers=" + layers + " hidden=" + hidden + " width=" + width + " horizon=" + horizon
                + " dropout=" + dropout + " lr=" + learningRate + " clip=" + gradientClip + " seed=" + seed;
    }
}
