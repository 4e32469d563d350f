package io.streamcast.model.alert;

/**
 * One checked reading of a series, the input of an {@link AlertTracker}.
 *
 * @param ts event time, epoch milliseconds
 * @param score anomaly score in [0, 1]
 * @param actual observed value
 * @param expected forecast mean
 * @param lower lower bound of the forecast interval
 * @param upper upper bound of the forecast interval
 */
public record ScoredReading(long ts, double score, double actual, double expected, double lower, double upper) {}
