package io.streamcast.model.anomaly;

/**
 * The label of the {@link AnomalyChannel} that gave a reading its score (its smallest tail
 * probability), as written to the scores and alerts streams.
 */
public enum Channel {
    /** No channel: the reading was not scored (warm-up, non-finite input). */
    NONE,
    /** {@link SustainedChannel}: sustained misfit. */
    SUSTAINED,
    /** {@link ChangeChannel}: the level moved away from the forecasts. */
    CHANGE,
    /** {@link FlatChannel}: a stuck signal. */
    FLAT;

    /** Lower-case name, as written to the scores and alerts streams. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
