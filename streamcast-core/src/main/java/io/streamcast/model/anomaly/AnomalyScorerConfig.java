package io.streamcast.model.anomaly;

/**
 * Settings of an {@link AnomalyScorer}; validated on construction, with a message naming the
 * offending field.
 *
 * @param shortWindow readings in the short-term mean of the sustained-residual channel
 * @param longTermWindow memory of every per-series reference, in readings (exponential averages
 *     with rate {@code 1 / longTermWindow}, arithmetic until then)
 * @param warmup readings per series during which the score is 0 while the state learns; at least
 *     {@code shortWindow}
 * @param threshold the detection threshold on the score (shared with {@code alerts.threshold}): a
 *     reading scoring at or above it starts a suppression period
 * @param suppression after a detection the score is held below {@code threshold} until this many
 *     readings in a row have scored below it on their own, so one anomaly, however long, is one
 *     detection (0 = off)
 */
public record AnomalyScorerConfig(
        int shortWindow, int longTermWindow, int warmup, double threshold, int suppression)
        implements java.io.Serializable {

    /**
     * Defaults: 10-reading short window, 8,640-reading memory, 100-reading warm-up, threshold 0.3
     * (optimal on the NAB development files), re-armed after 20 calm readings in a row.
     */
    public static AnomalyScorerConfig defaults() {
        return new AnomalyScorerConfig(10, 8640, 100, 0.3, 20);
    }

    public AnomalyScorerConfig {
        if (shortWindow < 1) {
            throw new IllegalArgumentException(
                    "AnomalyScorerConfig.shortWindow must be >= 1, got " + shortWindow);
        }
        if (longTermWindow < shortWindow) {
            throw new IllegalArgumentException(
                    "AnomalyScorerConfig.longTermWindow must be >= shortWindow ("
                            + shortWindow
                            + "), got "
                            + longTermWindow);
        }
        if (warmup < shortWindow) {
            throw new IllegalArgumentException(
                    "AnomalyScorerConfig.warmup must be >= shortWindow ("
                            + shortWindow
                            + "), got "
                            + warmup);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException(
                    "AnomalyScorerConfig.threshold must be in (0, 1), got " + threshold);
        }
        if (suppression < 0) {
            throw new IllegalArgumentException(
                    "AnomalyScorerConfig.suppression must be >= 0, got " + suppression);
        }
    }
}
