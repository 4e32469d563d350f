package io.streamcast.model.alert;

/** How bad an alert is, from its anomaly score; ordered, so a later constant is more severe. */
public enum Severity {
    /** Score at or above {@link AlertConfig#threshold()}. */
    WARNING,
    /** Score at or above {@link AlertConfig#criticalThreshold()}. */
    CRITICAL
}
