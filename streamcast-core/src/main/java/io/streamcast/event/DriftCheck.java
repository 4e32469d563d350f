package io.streamcast.event;

/**
 * What one drift check of the trainer found: whether the serving model's loss on the newest windows
 * ({@code recentLoss}) has risen against its validation loss at the last round ({@code
 * validationLoss}) by enough ({@code statistic}, the Page–Hinkley statistic, past {@code
 * threshold}) to start a round at once, after {@code samplesSeen} samples; {@code ts} is the event
 * time (epoch ms) of the newest training window when the round started ({@link Long#MIN_VALUE}
 * while unknown).
 */
public record DriftCheck(
        boolean drift,
        double recentLoss,
        double validationLoss,
        double statistic,
        double threshold,
        long samplesSeen,
        long ts) {

    /** A check whose time is not known yet. */
    public DriftCheck(
            boolean drift,
            double recentLoss,
            double validationLoss,
            double statistic,
            double threshold,
            long samplesSeen) {
        this(drift, recentLoss, validationLoss, statistic, threshold, samplesSeen, Long.MIN_VALUE);
    }

    /** This check, at event time {@code ts}. */
    public DriftCheck at(long ts) {
        return new DriftCheck(
                drift, recentLoss, validationLoss, statistic, threshold, samplesSeen, ts);
    }
}
