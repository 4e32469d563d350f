package io.streamcast.model;

/**
 * What one retraining round did: whether its candidate was promoted (and then {@code params} and
 * {@code version} are the new serving model), why not otherwise, and its losses and raw gradient
 * norm.
 */
public record TrainingRound(
        boolean promoted,
        String reason,
        long version,
        double trainLoss,
        double validationLoss,
        double servingValidationLoss,
        double gradientNorm,
        long samplesSeen,
        float[] params) {}
