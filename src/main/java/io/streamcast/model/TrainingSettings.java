package io.streamcast.model;

import java.io.Serializable;

/**
 * What the online and offline trainers take from the training configuration: a replay buffer of
 * {@code bufferSize} windows, a round every {@code roundEvery} new samples, {@code stepsPerRound}
 * Adam steps on mini-batches of {@code batchSize}, the newest {@code validationFraction} of the
 * buffer held back for validation, and scheduled sampling for the autoregressive decoder. The
 * configuration builds it; the model never reads configuration keys.
 */
public record TrainingSettings(
        int bufferSize,
        int roundEvery,
        int batchSize,
        int stepsPerRound,
        double validationFraction,
        ScheduledSampling scheduledSampling)
        implements Serializable {

    public TrainingSettings {
        if (bufferSize < 1 || roundEvery < 1 || batchSize < 1 || stepsPerRound < 1) {
            throw new IllegalArgumentException(
                    "bufferSize, roundEvery, batchSize and stepsPerRound must be positive:"
                            + " bufferSize="
                            + bufferSize
                            + " roundEvery="
                            + roundEvery
                            + " batchSize="
                            + batchSize
                            + " stepsPerRound="
                            + stepsPerRound);
        }
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction must be in (0, 1), was " + validationFraction);
        }
        if (scheduledSampling == null) {
            throw new IllegalArgumentException(
                    "scheduledSampling must not be null; ScheduledSampling.off() turns it"
                            + " off");
        }
    }
}
