package io.streamcast.event;

/**
 * A reading checked against the one-step forecast made for it: the actual value, the expected value
 * and its interval, the residual (actual − expected) and an anomaly score in [0, 1] (how extreme
 * this residual is against the series' own recent residuals), and the version of the model that
 * made the forecast ({@code -1} if unknown).
 */
public record Score(
        String series,
        long ts,
        double actual,
        double expected,
        double lower,
        double upper,
        double residual,
        double score,
        double surprise,
        String channel,
        long modelVersion) {}
