package io.streamcast.event;

/**
 * A forecast made after the reading at {@code ts}: for each horizon step k (index k-1) the target
 * time, mean and interval. {@code coldStart} is true while the series' window is still filling.
 * {@code source[k]} says what step k's mean is: {@code network}, {@code repeat-last}, {@code
 * seasonal-naive}, or {@code blend} when no one of them carries 80% of the weight; {@code
 * network[k]} is the network's own forecast, served or not; both are null in a record that carries
 * neither field.
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
        double[] upper,
        String[] source,
        double[] network) {}
