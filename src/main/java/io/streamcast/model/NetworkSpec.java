package io.streamcast.model;

import java.io.Serializable;

/**
 * Everything needed to build the same network twice: architecture (cell, layers, hidden units, input width,
 * horizon), optimiser (Adam learning rate, gradient clipping threshold; 0 turns clipping off) and seed.
 */
public record NetworkSpec(
        String cell, int layers, int hidden, int width, int horizon, long seed, double learningRate, double gradientClip)
        implements Serializable {

    /** A short human-readable summary, published with every model version. */
    public String summary() {
        return cell + " layers=" + layers + " hidden=" + hidden + " width=" + width + " horizon=" + horizon
                + " lr=" + learningRate + " clip=" + gradientClip + " seed=" + seed;
    }
}
