package io.streamcast.event;

/**
 * What one drift check of the trainer found: whether the serving model's loss on the newest windows
 * ({@code recentLoss}) has risen against its validation loss at the last round ({@code
 * validationLoss}) by enough ({@code statistic}, the Page–Hinkley statistic, past {@code
 * threshold}) to start a round at once, after {@code samplesSeen} samples.
 */
public record DriftCheck(
        boolean drift,
        double recentLoss,
        double validationLoss,
        double statistic,
        double threshold,
        long samplesSeen) {}
