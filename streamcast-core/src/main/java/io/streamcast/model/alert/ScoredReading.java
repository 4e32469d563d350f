package io.streamcast.model.alert;

import io.streamcast.event.Score;

/**
 * One checked reading of a series, the input of an {@link AlertTracker}.
 *
 * @param ts event time, epoch milliseconds
 * @param score anomaly score in [0, 1]
 * @param actual observed value
 * @param expected forecast mean
 * @param lower lower bound of the forecast interval
 * @param upper upper bound of the forecast interval
 * @param surprise {@code -log10} of the scorer's fused tail probability (NaN if unknown)
 * @param channel the scorer's channel that gave the score ("" if unknown)
 */
public record ScoredReading(
        long ts,
        double score,
        double actual,
        double expected,
        double lower,
        double upper,
        double surprise,
        String channel) {

    /** The reading a score record checked, with the scorer's explanation. */
    public static ScoredReading of(Score s) {
        return new ScoredReading(
                s.ts(),
                s.score(),
                s.actual(),
                s.expected(),
                s.lower(),
                s.upper(),
                s.surprise(),
                s.channel());
    }

    /** A reading without the scorer's explanation (surprise NaN, no channel). */
    public ScoredReading(
            long ts, double score, double actual, double expected, double lower, double upper) {
        this(ts, score, actual, expected, lower, upper, Double.NaN, "");
    }
}
