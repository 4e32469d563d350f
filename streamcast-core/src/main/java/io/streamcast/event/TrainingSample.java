package io.streamcast.event;

/**
 * One completed window for the trainer: {@code input} is {@code [time][width]} normalised rows
 * (time-major, oldest first); {@code target} is {@code [time][horizon]}: for each step the
 * normalised change of the target over the next 1..horizon steps. {@code seriesTs} orders samples
 * for reproducibility.
 */
public record TrainingSample(String series, long ts, float[] input, float[] target) {}
