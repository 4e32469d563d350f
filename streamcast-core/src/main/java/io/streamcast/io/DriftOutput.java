package io.streamcast.io;

/**
 * A drift event as read back from the models stream: the serving model's loss on new windows
 * ({@code recentLoss}) rose against its validation loss, the Page–Hinkley {@code statistic} passed
 * {@code threshold}, and a round started at once, at event time {@code ts} ({@link Long#MIN_VALUE}
 * in output written before drift events had a time); {@code version} is what that round promoted,
 * -1 if nothing.
 */
public record DriftOutput(
        long ts,
        double recentLoss,
        double validationLoss,
        double statistic,
        double threshold,
        long samplesSeen,
        long version)
        implements ModelsRecord {
    public boolean promoted() {
        return version >= 0;
    }
}
