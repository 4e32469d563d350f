package io.streamcast.model.alert;

/**
 * Settings of an {@link AlertTracker}; validated on construction, with a message naming the
 * offending field.
 *
 * @param threshold anomaly score at or above which an alert opens (WARNING), in (0, 1]
 * @param resetThreshold score below which a reading counts as normal again, in [0, threshold]; the
 *     gap between the two is the hysteresis band that neither opens nor resolves
 * @param resolveAfterMs event time the series must stay normal before the alert resolves
 * @param cooldownMs after a resolve, an alert re-opening within this time reuses the same id
 * @param minAbsDeviation |actual - expected| must be at least this to open (0 = off)
 * @param minRelDeviation |actual - expected| must be at least this fraction of |expected| to open
 *     (0 = off)
 * @param updateEvery while an alert stays elevated, emit an UPDATE at most every this many readings
 *     (0 = only on severity rises)
 */
public record AlertConfig(
        double threshold,
        double resetThreshold,
        long resolveAfterMs,
        long cooldownMs,
        double minAbsDeviation,
        double minRelDeviation,
        int updateEvery)
        implements java.io.Serializable {

    /**
     * Threshold 0.3 (the anomaly scorer's, optimal on the NAB development files), reset below half
     * its surprise ({@code t / (2 - t)}), resolve after 5 min quiet, 30 min cool-down, update every
     * 60 readings.
     */
    public static AlertConfig defaults() {
        return new AlertConfig(0.3, 0.3 / 1.7, 5 * 60_000L, 30 * 60_000L, 0.0, 0.0, 60);
    }

    public AlertConfig {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(
                    "AlertConfig.threshold must be in (0, 1], got " + threshold);
        }
        if (!(resetThreshold >= 0 && resetThreshold <= threshold)) {
            throw new IllegalArgumentException(
                    "AlertConfig.resetThreshold must be in [0, threshold="
                            + threshold
                            + "], got "
                            + resetThreshold);
        }
        if (resolveAfterMs < 0) {
            throw new IllegalArgumentException(
                    "AlertConfig.resolveAfterMs must be >= 0, got " + resolveAfterMs);
        }
        if (cooldownMs < 0) {
            throw new IllegalArgumentException(
                    "AlertConfig.cooldownMs must be >= 0, got " + cooldownMs);
        }
        if (!(minAbsDeviation >= 0) || Double.isInfinite(minAbsDeviation)) {
            throw new IllegalArgumentException(
                    "AlertConfig.minAbsDeviation must be a finite number >= 0, got "
                            + minAbsDeviation);
        }
        if (!(minRelDeviation >= 0) || Double.isInfinite(minRelDeviation)) {
            throw new IllegalArgumentException(
                    "AlertConfig.minRelDeviation must be a finite number >= 0, got "
                            + minRelDeviation);
        }
        if (updateEvery < 0) {
            throw new IllegalArgumentException(
                    "AlertConfig.updateEvery must be >= 0 (0 = off), got " + updateEvery);
        }
    }

    /**
     * Score from which an alert is CRITICAL: twice the opening threshold's surprise, i.e. the
     * threshold's tail probability squared. With the scorer's {@code score = u / (1 + u)}, {@code u
     * = ln(1 + S / c)}, that is {@code u_c = ln(2 e^u - 1)} (0.42 for a threshold of 0.3).
     */
    public double criticalThreshold() {
        double u = threshold / (1 - threshold);
        // For large u, 2 e^u - 1 overflows; then u_c is u + ln 2 to double precision.
        double uc = u > 700 ? u + Math.log(2) : Math.log(2 * Math.exp(u) - 1);
        return Math.min(1.0, uc / (1 + uc));
    }
}
