package io.streamcast.model.alert;

/**
 * An alert lifecycle change for one series, as written to the alerts stream.
 *
 * @param alertId stable for the alert's lifetime, including re-opens within the cool-down: {@code
 *     series + "-" + openedAt}
 * @param state OPEN, UPDATE or RESOLVE
 * @param ts event time of the reading that caused the change
 * @param severity highest severity of the current episode
 * @param openedAt event time the alert first opened
 * @param durationMs {@code ts - openedAt}
 * @param reason a sentence with the numbers behind the change
 * @param channel the anomaly scorer's channel behind the reading's score ("" if unknown)
 * @param surprise {@code -log10} of the reading's fused tail probability (NaN if unknown)
 */
public record AlertEvent(
        String series,
        String alertId,
        AlertStatus state,
        long ts,
        double score,
        Severity severity,
        double actual,
        double expected,
        double lower,
        double upper,
        long openedAt,
        long durationMs,
        String reason,
        String channel,
        double surprise) {}
