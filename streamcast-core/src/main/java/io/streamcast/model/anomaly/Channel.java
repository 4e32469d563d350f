package io.streamcast.model.anomaly;

/**
 * The test of an {@link AnomalyScorer} that gave a reading its score (its smallest tail
 * probability).
 */
public enum Channel {
    /** No channel: the reading was not scored (warm-up, non-finite input). */
    NONE,
    /**
     * The mean of the last few absolute residuals against the distribution of such means: sustained
     * misfit.
     */
    SUSTAINED,
    /**
     * A two-sided CUSUM of the robustly normalised residual: the level moved away from the
     * forecasts.
     */
    CHANGE,
    /**
     * A run of identical values longer than the series' own rate of repeats makes plausible: a
     * stuck signal.
     */
    FLAT;

    /** Lower-case name, as written to the scores and alerts streams. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
