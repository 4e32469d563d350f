package io.streamcast.event;

/**
 * The trainer's word after each retraining round, sent to every forecaster: the sample count at
 * which the round ran and the model it promoted, or null if it promoted none. Forecasters in
 * synchronous mode wait for it, which makes a replay reproducible.
 */
public record RoundOutcome(long samplesSeen, ModelUpdate promoted) {}
