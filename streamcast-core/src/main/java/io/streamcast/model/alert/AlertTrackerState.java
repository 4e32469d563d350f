package io.streamcast.model.alert;

/**
 * Per-series state of an {@link AlertTracker}: a Flink POJO of primitives and one string, mutated
 * in place by {@link AlertTracker#onReading}. A fresh instance means "never alerted".
 */
public final class AlertTrackerState {

    /** Marks an unset event time. */
    public static final long NONE = Long.MIN_VALUE;

    /**
     * Id of the open alert, or of the last resolved one while its cool-down may still apply; else
     * null.
     */
    public String alertId;

    /** True while an alert is open. */
    public boolean active;

    /** Event time the current alert first opened. */
    public long openedAt = NONE;

    /** Start of the current run of normal readings while open, or NONE. */
    public long normalSince = NONE;

    /** Event time the last alert resolved, or NONE. */
    public long resolvedAt = NONE;

    /** Ordinal of the highest {@link Severity} of the current episode, -1 if none. */
    public int peakSeverity = -1;

    /** Readings since the last emitted event (drives periodic updates). */
    public int readingsSinceEvent;

    /** Times the current alert has re-opened within the cool-down. */
    public int reopenCount;

    /** For Flink's POJO serializer and for a new series. */
    public AlertTrackerState() {}
}
