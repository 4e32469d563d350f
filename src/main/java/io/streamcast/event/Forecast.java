package io.streamcast.event;

/**
 * A forecast made after the reading at {@code ts}: for each horizon step k (index k-1) the target
 * time, mean and interval. {@code coldStart} is true while the series' window is still filling.
 */
public record Forecast(
        String series,
        long ts,
        long modelVersion,
        String cell,
        boolean coldStart,
        long[] targetTs,
        double[] mean,
        double[] lower,
        double[] upper) {}
