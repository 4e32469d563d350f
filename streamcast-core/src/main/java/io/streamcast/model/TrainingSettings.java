package io.streamcast.model;

import java.io.Serializable;

/**
 * What the online and offline trainers take from the training configuration: a replay buffer of
 * {@code bufferSize} windows, a round every {@code roundEvery} new samples, {@code stepsPerRound}
 * Adam steps on mini-batches of {@code batchSize}, the newest {@code validationFraction} of the
 * buffer held back for validation, and scheduled sampling for the autoregressive decoder. A round
 * goes on in further chunks of {@code stepsPerRound} steps while its candidate's validation loss
 * still falls, up to {@code maxStepsPerRound} steps ({@link OnlineTrainer}); the first rounds come
 * sooner ({@link #roundLength}). The configuration builds it; the model never reads configuration
 * keys.
 */
public record TrainingSettings(
        int bufferSize,
        int roundEvery,
        int batchSize,
        int stepsPerRound,
        double validationFraction,
        ScheduledSampling scheduledSampling,
        int maxStepsPerRound,
        int firstRound)
        implements Serializable {

    /** Rounds of exactly {@code stepsPerRound} steps. */
    public TrainingSettings(
            int bufferSize,
            int roundEvery,
            int batchSize,
            int stepsPerRound,
            double validationFraction,
            ScheduledSampling scheduledSampling) {
        this(
                bufferSize,
                roundEvery,
                batchSize,
                stepsPerRound,
                validationFraction,
                scheduledSampling,
                stepsPerRound,
                roundEvery);
    }

    /**
     * New samples from a round's start (at {@code startSamples} samples in all) to the next round:
     * the first round comes after {@code firstRound} samples and each gap doubles the samples seen
     * until rounds are {@code roundEvery} apart. A young model, which learns most per step, thus
     * trains early; it costs at most log2(roundEvery / firstRound) extra rounds, once.
     */
    public int roundLength(long startSamples) {
        return (int) Math.min(roundEvery, Math.max(firstRound, startSamples));
    }

    public TrainingSettings {
        if (bufferSize < 1
                || roundEvery < 1
                || batchSize < 1
                || stepsPerRound < 1
                || firstRound < 1
                || maxStepsPerRound < 1) {
            throw new IllegalArgumentException(
                    "bufferSize, roundEvery, batchSize, stepsPerRound, maxStepsPerRound and"
                            + " firstRound must be positive:"
                            + " bufferSize="
                            + bufferSize
                            + " roundEvery="
                            + roundEvery
                            + " batchSize="
                            + batchSize
                            + " stepsPerRound="
                            + stepsPerRound
                            + " maxStepsPerRound="
                            + maxStepsPerRound
                            + " firstRound="
                            + firstRound);
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
