package io.streamcast.model.anomaly;

/**
 * One test of an {@link AnomalyScorer}: judges each reading of a series against its own state from
 * before the reading, then folds the reading in. An instance is one series' state of the channel (a
 * Flink POJO held by {@link ScorerMemory}); the scorer fuses the channels' evidence and applies the
 * shared hold after a detection.
 *
 * <p>Adding a channel: one class implementing this interface, a label in {@link Channel}, a field
 * in {@link ScorerMemory} (listed in its {@code channels()}, created in {@link
 * AnomalyScorer#initial()}).
 */
public interface AnomalyChannel {

    /** The label written to the scores and alerts streams when this channel gives the score. */
    Channel label();

    /**
     * Folds one reading into this channel's state.
     *
     * @return the evidence against the reading, {@code -ln p} of its tail probability under the
     *     state from before it; 0 (or NaN) when this channel has none, e.g. while not {@link
     *     Reading#scored()}. When positive, {@link #statistic()} and {@link #reference()} explain
     *     it until the next call.
     */
    double observe(Reading reading);

    /** The statistic behind the last positive evidence (see {@link Verdict#statistic()}). */
    double statistic();

    /** What that statistic was compared with (see {@link Verdict#reference()}). */
    double reference();

    /**
     * The fused score made a detection with this reading: a channel that accumulates evidence
     * starts afresh, so one anomaly is not found again from the same sum.
     */
    default void detected() {}

    /** A deep copy of this series' state of the channel. */
    AnomalyChannel copy();
}
