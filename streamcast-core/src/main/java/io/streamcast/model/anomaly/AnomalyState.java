package io.streamcast.model.anomaly;

/**
 * The previous scorer's per-series state, no longer used: kept only so that savepoints written
 * before {@link ScorerState} (whose {@code SeriesMemory.anomaly} field held one) can still be read;
 * Flink drops the removed field's data on restore but needs its class to read past it.
 */
public final class AnomalyState {

    /** Readings seen (including the warm-up). */
    public long count;

    /** Exponentially weighted mean of squared normalised residuals: the long-term reference. */
    public double longTermMeanSquare;

    /** Ring buffer of the last {@code shortWindow} squared normalised residuals. */
    public double[] recent;

    /** Slot of {@link #recent} the next reading goes to. */
    public int next;

    /** For Flink's POJO serializer. */
    public AnomalyState() {}

    /** A deep copy, for callers that want to keep a snapshot. */
    public AnomalyState copy() {
        AnomalyState c = new AnomalyState();
        c.count = count;
        c.longTermMeanSquare = longTermMeanSquare;
        c.recent = recent == null ? null : recent.clone();
        c.next = next;
        return c;
    }
}
