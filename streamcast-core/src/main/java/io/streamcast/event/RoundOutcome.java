package io.streamcast.event;

/**
 * The trainer's word after each retraining round, sent to every forecaster: the sample count at
 * which the round ran, the model it promoted (or null if none), and the drift check that started it
 * (null for a scheduled round). Forecasters in synchronous mode wait for it, which makes a replay
 * reproducible.
 */
public record RoundOutcome(long samplesSeen, ModelUpdate promoted, DriftCheck drift) {
    /** A scheduled round's outcome. */
    public RoundOutcome(long samplesSeen, ModelUpdate promoted) {
        this(samplesSeen, promoted, null);
    }
}
