package io.streamcast.io;

/**
 * An alert event as read back from the alerts stream, tolerantly: {@code state} and {@code
 * severity} as written ({@code open}, {@code warning}, ...; severity "" when missing), numbers NaN
 * and text "" when missing, {@code openedAt} {@link Long#MIN_VALUE} when missing or not a time.
 * {@link OutputDecoder#alertEvent} reads the same record strictly into the tracker's type.
 */
public record AlertOutput(
        String series,
        String alertId,
        String state,
        long ts,
        double score,
        String severity,
        double actual,
        double expected,
        double lower,
        double upper,
        long openedAt,
        long durationMs,
        String reason,
        String channel,
        double surprise) {}
