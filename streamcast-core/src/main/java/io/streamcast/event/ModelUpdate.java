package io.streamcast.event;

/**
 * A promoted model version, broadcast to every forecaster and published on the models topic: the
 * flat DL4J parameter vector plus what produced it (cell, configuration summary, losses, samples
 * seen, gradient norm).
 */
public record ModelUpdate(
        long version,
        String cell,
        String config,
        double trainLoss,
        double validationLoss,
        double gradientNorm,
        long samplesSeen,
        float[] params)
        implements java.io.Serializable {}
